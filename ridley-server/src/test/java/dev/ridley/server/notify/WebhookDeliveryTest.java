package dev.ridley.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.StartRequest;
import dev.ridley.server.Http;
import dev.ridley.server.Json;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline's notify webhook hears of each listed end once, even when it was down for a while. */
class WebhookDeliveryTest {

  @Test
  void failed_and_lost_processes_are_posted_once_each_as_the_api_shows_them_and_a_success_is_not(@TempDir Path dir)
      throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0);
        RidleyServer server = start(dir, receiver.port())) {
      Engine engine = server.engine();
      UUID ok = engine.processes().start("hooked", StartRequest.of(IntNode.valueOf(1))).process().id();
      UUID failed = engine.processes().start("hooked", StartRequest.of(IntNode.valueOf(2))).process().id();
      UUID lost = engine.processes().start("hooked", StartRequest.of(IntNode.valueOf(3))).process().id();
      List<ClaimedTask> claimed = engine.workers().poll("w", List.of("work"), 3, Duration.ofSeconds(2));
      assertThat(claimed).hasSize(3);
      engine.workers().complete(taskOf(claimed, ok), "ok", IntNode.valueOf(1));
      engine.workers().fail(taskOf(claimed, failed), ErrorInfo.of("IOError", "disk"), false);
      // the third is never heard of again: its heartbeat timer makes it LOST

      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 2);
      Thread.sleep(1_000); // nothing more arrives
      List<WebhookReceiver.Received> got = receiver.received();
      assertThat(got).extracting(r -> r.header(WebhookDelivery.PROCESS_ID))
          .containsExactlyInAnyOrder(failed.toString(), lost.toString());
      Http http = new Http(server.uri());
      for (WebhookReceiver.Received r : got) {
        JsonNode sent = Json.read(r.body());
        String id = r.header(WebhookDelivery.PROCESS_ID);
        assertThat(sent).isEqualTo(http.get("/api/v1/processes/" + id).json());
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header(WebhookDelivery.PROCESS_STATUS)).isEqualTo(sent.path("status").asText());
        assertThat(r.header(WebhookDelivery.DELIVERY_ID)).isNotBlank();
        assertThat(r.header(WebhookDelivery.DELIVERY_ATTEMPT)).isEqualTo("1");
      }
      assertThat(Json.read(byId(got, lost).body()).path("status").asText()).isEqualTo("LOST");
      assertThat(Json.read(byId(got, failed).body()).path("error").path("type").asText()).isEqualTo("IOError");
      assertThat(pending(server)).isZero();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(http.get("/api/v1/processes/" + failed + "/events").text()).contains("notification.delivered"));
      assertThat(http.get("/api/v1/processes/" + ok + "/events").text()).doesNotContain("notification.");
      assertThat(http.get("/api/v1/processes/" + failed + "/tree").status()).isEqualTo(200);
      assertThat(http.get("/health").json().path("loops").path("webhooks").asText()).isEqualTo("UP");
    }
  }

  @Test
  void a_receiver_that_is_down_for_a_while_hears_of_each_end_once_when_it_is_back(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket reserve = new ServerSocket(0)) {
      port = reserve.getLocalPort();
    }
    try (RidleyServer server = start(dir, port)) {
      Engine engine = server.engine();
      UUID first = engine.processes().start("hooked", StartRequest.of(IntNode.valueOf(1))).process().id();
      UUID second = engine.processes().start("hooked", StartRequest.of(IntNode.valueOf(2))).process().id();
      List<ClaimedTask> claimed = engine.workers().poll("w", List.of("work"), 2, Duration.ofSeconds(2));
      for (ClaimedTask t : claimed) engine.workers().fail(t.id(), ErrorInfo.of("IOError", "disk"), false);

      // nobody listens: the deliveries fail and are retried with a backoff
      await().atMost(Duration.ofSeconds(15)).until(() -> maxAttempts(server) >= 2);
      assertThat(pending(server)).isEqualTo(2);

      try (WebhookReceiver receiver = new WebhookReceiver(port)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(server) == 0);
        Thread.sleep(1_000);
        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).extracting(r -> r.header(WebhookDelivery.PROCESS_ID))
            .containsExactlyInAnyOrder(first.toString(), second.toString());
        assertThat(got).extracting(r -> Integer.parseInt(r.header(WebhookDelivery.DELIVERY_ATTEMPT)))
            .allMatch(a -> a >= 2);
        assertThat(got).extracting(r -> r.header(WebhookDelivery.DELIVERY_ID)).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void the_backoff_doubles_up_to_its_limit_and_the_last_attempt_gives_up() {
    var policy = new WebhookDelivery.Policy(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 5);
    assertThat(policy.retryAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.retryAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.retryAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.retryAfter(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.retryAfter(5)).isNull();
  }

  private static RidleyServer start(Path dir, int port) throws Exception {
    Files.writeString(dir.resolve("hooked.yaml"), """
        name: hooked
        notify: {url: "http://127.0.0.1:%d/hook", on: [FAILED, LOST]}
        stages:
          work: {timeouts: {heartbeat: 1s}}
        """.formatted(port));
    return RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir)
        .setSweepInterval(Duration.ofMillis(100)).build());
  }

  private static UUID taskOf(List<ClaimedTask> claimed, UUID process) {
    return claimed.stream().filter(t -> t.processId().equals(process)).findFirst().orElseThrow().id();
  }

  private static WebhookReceiver.Received byId(List<WebhookReceiver.Received> got, UUID process) {
    return got.stream().filter(r -> r.header(WebhookDelivery.PROCESS_ID).equals(process.toString())).findFirst()
        .orElseThrow();
  }

  private static long pending(RidleyServer server) throws Exception {
    return query(server, "select count(*) from notification where state = 'PENDING'");
  }

  private static long maxAttempts(RidleyServer server) throws Exception {
    return query(server, "select coalesce(max(attempts), 0) from notification");
  }

  private static long query(RidleyServer server, String sql) throws Exception {
    try (Connection c = server.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
