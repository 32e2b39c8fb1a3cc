package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transaction that ends a process writes its notification; delivery claims it with a lease. */
class NotificationOutboxTest {

  static final String NOTIFIED =
      """
      name: notified
      notify: {url: "http://127.0.0.1:9/hook", on: [FAILED, LOST, CANCELLED]}
      stages:
        work: {timeouts: {heartbeat: 5s}}
      """;

  static final String QUIET =
      """
      name: quiet
      stages:
        work: {}
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(NOTIFIED, QUIET);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  @Test
  void ends_in_a_listed_status_are_notified_and_others_are_not() throws Exception {
    UUID succeeded = start("notified");
    engine.workers().complete(claim("notified").id(), "ok", IntNode.valueOf(1));
    UUID failed = start("notified");
    engine.workers().fail(claim("notified").id(), ErrorInfo.of("Boom", "no"), false);
    UUID cancelled = start("notified");
    engine.operations().cancel(cancelled, "not needed");
    UUID lost = start("notified");
    claim("notified");
    clock.advance(Duration.ofSeconds(6));
    engine.operations().sweepOnce();
    UUID quietFailed = start("quiet");
    engine.workers().fail(claim("quiet").id(), ErrorInfo.of("Boom", "no"), false);

    List<Notification> due = engine.operations().claimNotifications(10, Duration.ofMinutes(1));

    assertThat(due).extracting(Notification::processId).containsExactlyInAnyOrder(failed, cancelled, lost)
        .doesNotContain(succeeded, quietFailed);
    assertThat(due).allSatisfy(n -> {
      assertThat(n.url()).isEqualTo(URI.create("http://127.0.0.1:9/hook"));
      assertThat(n.attempt()).isEqualTo(1);
      assertThat(n.status()).isEqualTo(engine.processes().process(n.processId()).orElseThrow().status());
    });
  }

  @Test
  void a_claimed_notification_is_not_claimed_again_until_its_lease_runs_out() throws Exception {
    UUID failed = start("notified");
    engine.workers().fail(claim("notified").id(), ErrorInfo.of("Boom", "no"), false);

    Notification first = engine.operations().claimNotifications(10, Duration.ofSeconds(30)).getFirst();
    assertThat(engine.operations().claimNotifications(10, Duration.ofSeconds(30))).isEmpty();
    clock.advance(Duration.ofSeconds(31));
    Notification again = engine.operations().claimNotifications(10, Duration.ofSeconds(30)).getFirst();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.processId()).isEqualTo(failed);
    assertThat(again.attempt()).isEqualTo(2);
    // the first deliverer's late answer changes nothing: the notification is the second's now
    assertThat(engine.operations().notificationDelivered(first)).isFalse();
    assertThat(engine.operations().notificationDelivered(again)).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(engine.operations().claimNotifications(10, Duration.ofSeconds(30))).isEmpty();
    // the process's story says its receiver heard of the end, once, and its tree stays whole
    assertThat(engine.processes().events(failed)).filteredOn(e -> e.type().equals(JournalEvent.NOTIFICATION_DELIVERED))
        .singleElement().satisfies(e -> {
          assertThat(e.data().path("deliveryId").asText()).isEqualTo(first.id().toString());
          assertThat(e.data().path("attempt").asInt()).isEqualTo(2);
          assertThat(e.data().path("status").asText()).isEqualTo("FAILED");
        });
    assertThat(dev.ridley.engine.tree.ProcessTree.of(failed, engine.processes().events(failed),
        engine.processes().tasks(failed)).tree().complete()).isTrue();
  }

  @Test
  void a_failed_delivery_is_due_again_after_its_backoff_and_given_up_after_the_last() throws Exception {
    start("notified");
    engine.workers().fail(claim("notified").id(), ErrorInfo.of("Boom", "no"), false);

    Notification first = engine.operations().claimNotifications(10, Duration.ofSeconds(30)).getFirst();
    assertThat(engine.operations().notificationFailed(first, "the webhook answered 503", Duration.ofSeconds(4))).isTrue();
    clock.advance(Duration.ofSeconds(3));
    assertThat(engine.operations().claimNotifications(10, Duration.ofSeconds(30))).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    Notification second = engine.operations().claimNotifications(10, Duration.ofSeconds(30)).getFirst();
    assertThat(second.attempt()).isEqualTo(2);

    assertThat(engine.operations().notificationFailed(second, "the webhook answered 503", null)).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(engine.operations().claimNotifications(10, Duration.ofSeconds(30))).isEmpty();
    assertThat(engine.operations().notificationCounts()).isEqualTo(new NotificationCounts(0, 1));
    assertThat(engine.processes().events(second.processId()))
        .filteredOn(e -> e.type().equals(JournalEvent.NOTIFICATION_DEAD))
        .singleElement().satisfies(e -> assertThat(e.data().path("error").asText()).contains("503"));
  }

  private UUID start(String pipeline) {
    return engine.processes().start(pipeline, StartRequest.of(Json.read("{}"))).process().id();
  }

  private ClaimedTask claim(String pipeline) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of("work"), 1, Duration.ZERO);
    assertThat(got).hasSize(1);
    return got.getFirst();
  }
}
