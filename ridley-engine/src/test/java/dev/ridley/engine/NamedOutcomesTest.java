package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every outcome is routed somewhere visible: named ones by their routes, the rest by default. */
class NamedOutcomesTest {

  static final String CHECK =
      """
      name: check
      stages:
        check: {retry: {attempts: 3, backoff: 1ms}}
        review: {}
        ship: {}
      routes:
        - check.ok -> ship
        - check.invalid -> review
        - check.retry-later -> @park
        - check.failed -> review
        - review.rejected -> @fail
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(CHECK).systemClock();
  final Engine engine = engines.engine();

  ClaimedTask claim(String stage) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of(stage), 1, Duration.ZERO);
    assertThat(got).as("a task at %s", stage).hasSize(1);
    return got.getFirst();
  }

  ProcessView start() {
    return engine.processes().start("check", StartRequest.of(Json.read("{\"order\":7}"))).process();
  }

  @Test
  void a_named_outcome_follows_its_route_and_hands_its_output_to_the_next_stage() throws Exception {
    ProcessView p = start();
    ProcessView moved = engine.workers().complete(claim("check").id(), "invalid", Json.read("{\"why\":\"negative\"}")).process();
    assertThat(moved.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(moved.lastSeen().stage()).isEqualTo("review");
    assertThat(claim("review").input()).isEqualTo(Json.read("{\"why\":\"negative\"}"));
    assertThat(engine.processes().events(p.id())).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo("process.routed");
      assertThat(e.data().path("route").asText()).isEqualTo("check.invalid");
    });
  }

  @Test
  void a_named_outcome_routed_to_fail_ends_the_process_failed_with_a_reason() throws Exception {
    start();
    engine.workers().complete(claim("check").id(), "invalid", Json.read("{}"));
    ProcessView ended = engine.workers().complete(claim("review").id(), "rejected", Json.read("{}")).process();
    assertThat(ended.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(ended.error().type()).isEqualTo("RoutedToFail");
    assertThat(ended.error().message()).contains("review.rejected");
  }

  @Test
  void an_unrouted_named_outcome_ends_the_process_succeeded_with_its_output() throws Exception {
    start();
    engine.workers().complete(claim("check").id(), "ok", Json.read("1"));
    ProcessView ended = engine.workers().complete(claim("ship").id(), "shipped-late", Json.read("{\"days\":3}")).process();
    assertThat(ended.status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(ended.output()).isEqualTo(Json.read("{\"days\":3}"));
  }

  @Test
  void a_named_outcome_can_park_the_process_with_its_output_as_the_replay_input() throws Exception {
    ProcessView p = start();
    engine.workers().complete(claim("check").id(), "retry-later", Json.read("{\"later\":true}"));
    ProcessView parked = engine.processes().process(p.id()).orElseThrow();
    assertThat(parked.status()).isEqualTo(ProcessStatus.PARKED);
    assertThat(parked.park().to()).isEqualTo("check");
    engine.operations().replay(p.id(), null);
    assertThat(claim("check").input()).isEqualTo(Json.read("{\"later\":true}"));
  }

  @Test
  void a_failure_is_retried_before_its_route_and_the_route_gets_the_failed_stages_input() throws Exception {
    start();
    for (int attempt = 1; attempt <= 3; attempt++) {
      ClaimedTask t = claimWithin("check");
      assertThat(t.attempt()).isEqualTo(attempt);
      engine.workers().fail(t.id(), ErrorInfo.of("Boom", "attempt " + attempt), true);
    }
    JsonNode input = claim("review").input();
    assertThat(input).isEqualTo(Json.read("{\"order\":7}"));
  }

  @Test
  void failed_and_timeout_are_not_names_a_worker_may_complete_with() throws Exception {
    start();
    ClaimedTask t = claim("check");
    for (String reserved : List.of("failed", "timeout", "Not-Lower")) {
      assertThatThrownBy(() -> engine.workers().complete(t.id(), reserved, null))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining(reserved);
    }
  }

  ClaimedTask claimWithin(String stage) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of(stage), 1, Duration.ofSeconds(2));
    assertThat(got).hasSize(1);
    return got.getFirst();
  }
}
