package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replay of a FAILED process resumes where the failure that ended it started, not at the error
 * handler that routed it to {@code @fail}; and the process keeps the error it failed with.
 */
class ReplayFromFailureTest {

  /** A failure passed along two stages before the error handler, and a stage that fails by route. */
  static final String CHAIN =
      """
      name: chain
      stages:
        a: {}
        b: {}
        check: {}
        errors: {}
      routes:
        - a.failed -> b
        - a.ok -> check
        - b.failed -> errors
        - check.ok -> @fail
        - errors.ok -> @fail
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE, CHAIN);
  final Engine engine = engines.engine();

  ClaimedTask claim(String stage) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of(stage), 1, Duration.ZERO);
    assertThat(got).as("a task at " + stage).hasSize(1);
    return got.getFirst();
  }

  ProcessView process(UUID id) {
    return engine.processes().process(id).orElseThrow();
  }

  /** divide fails with an ArithmeticException (not retried), errors handles it and routes to @fail. */
  ProcessView failedThroughTheErrorHandler() throws InterruptedException {
    ProcessView p = engine.processes().start("divide", StartRequest.of(Json.read("{\"x\":1,\"y\":0}"))).process();
    engine.workers().fail(claim("divide").id(), ErrorInfo.of("java.lang.ArithmeticException", "/ by zero"), true);
    engine.workers().complete(claim("errors").id(), "ok", Json.read("{\"handled\":true}"));
    ProcessView failed = process(p.id());
    assertThat(failed.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(failed.lastSeen().stage()).isEqualTo("errors");
    return failed;
  }

  @Test
  void a_process_failed_by_its_error_handler_keeps_the_original_error_and_the_route_is_journaled() throws Exception {
    ProcessView failed = failedThroughTheErrorHandler();
    assertThat(failed.error().type()).isEqualTo("java.lang.ArithmeticException");
    assertThat(failed.error().message()).isEqualTo("/ by zero");
    assertThat(engine.processes().events(failed.id()))
        .filteredOn(e -> e.type().equals(JournalEvent.PROCESS_ROUTED))
        .extracting(e -> e.data().path("route").asText())
        .containsExactly("divide.failed", "errors.ok");
  }

  @Test
  void replaying_it_resumes_at_the_stage_where_the_failure_started_with_that_stages_input() throws Exception {
    ProcessView failed = failedThroughTheErrorHandler();

    ProcessView replayed = engine.operations().replay(failed.id(), null);
    assertThat(replayed.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(replayed.lastSeen().stage()).isEqualTo("divide");
    assertThat(replayed.error().type()).isEqualTo("java.lang.ArithmeticException");
    ClaimedTask again = claim("divide");
    assertThat(again.input()).isEqualTo(Json.read("{\"x\":1,\"y\":0}"));
    assertThat(engine.processes().events(failed.id()))
        .filteredOn(e -> e.type().equals(JournalEvent.PROCESS_REPLAYED))
        .singleElement().satisfies(e -> assertThat(e.data().path("stage").asText()).isEqualTo("divide"));

    engine.workers().complete(again.id(), "ok", IntNode.valueOf(0));
    engine.workers().complete(claim("ocean").id(), "ok", IntNode.valueOf(0));
    ProcessView done = process(failed.id());
    assertThat(done.status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(done.error()).isNull();
  }

  @Test
  void a_second_failure_after_a_replay_is_replayed_where_it_started_too() throws Exception {
    ProcessView failed = failedThroughTheErrorHandler();
    engine.operations().replay(failed.id(), null);
    engine.workers().fail(claim("divide").id(), ErrorInfo.of("java.lang.ArithmeticException", "again"), true);
    engine.workers().complete(claim("errors").id(), "ok", null);
    ProcessView again = process(failed.id());
    assertThat(again.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(again.error().message()).isEqualTo("again");
    assertThat(engine.operations().replay(failed.id(), null).lastSeen().stage()).isEqualTo("divide");
  }

  @Test
  void from_stage_says_otherwise_and_the_error_handler_failing_it_again_keeps_the_original_error() throws Exception {
    ProcessView failed = failedThroughTheErrorHandler();
    ProcessView replayed = engine.operations().replay(failed.id(), "errors");
    assertThat(replayed.lastSeen().stage()).isEqualTo("errors");
    ClaimedTask handler = claim("errors");
    assertThat(handler.input()).isEqualTo(Json.read("{\"x\":1,\"y\":0}"));
    engine.workers().complete(handler.id(), "ok", null);
    ProcessView after = process(failed.id());
    assertThat(after.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(after.error().type()).isEqualTo("java.lang.ArithmeticException");
  }

  @Test
  void a_failure_passed_along_several_failure_routes_resumes_at_its_first_stage() throws Exception {
    ProcessView p = engine.processes().start("chain", StartRequest.of(IntNode.valueOf(7))).process();
    engine.workers().fail(claim("a").id(), ErrorInfo.of("A", "a broke"), false);
    engine.workers().fail(claim("b").id(), ErrorInfo.of("B", "b broke too"), false);
    engine.workers().complete(claim("errors").id(), "ok", null);
    assertThat(process(p.id()).status()).isEqualTo(ProcessStatus.FAILED);

    assertThat(engine.operations().replay(p.id(), null).lastSeen().stage()).isEqualTo("a");
    assertThat(claim("a").input()).isEqualTo(IntNode.valueOf(7));
  }

  @Test
  void a_stage_entered_on_success_that_routes_to_fail_is_where_the_failure_started() throws Exception {
    ProcessView p = engine.processes().start("chain", StartRequest.of(IntNode.valueOf(7))).process();
    engine.workers().complete(claim("a").id(), "ok", IntNode.valueOf(8));
    engine.workers().complete(claim("check").id(), "ok", null);
    ProcessView failed = process(p.id());
    assertThat(failed.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(failed.error().type()).isEqualTo("RoutedToFail");

    assertThat(engine.operations().replay(p.id(), null).lastSeen().stage()).isEqualTo("check");
    assertThat(claim("check").input()).isEqualTo(IntNode.valueOf(8));
  }

  @Test
  void bulk_replay_resumes_where_each_failure_started_or_at_from_stage() throws Exception {
    ProcessView one = failedThroughTheErrorHandler();
    ProcessView two = failedThroughTheErrorHandler();
    ProcessQuery failedDivides = ProcessQuery.all().withPipeline("divide").withStatus(ProcessStatus.FAILED);

    assertThat(engine.operations().replayAll(failedDivides)).isEqualTo(2);
    assertThat(List.of(process(one.id()), process(two.id())))
        .extracting(v -> v.lastSeen().stage()).containsExactly("divide", "divide");

    for (int i = 0; i < 2; i++) {
      engine.workers().fail(claim("divide").id(), ErrorInfo.of("java.lang.ArithmeticException", "x"), true);
      engine.workers().complete(claim("errors").id(), "ok", null);
    }
    assertThat(engine.operations().replayAll(failedDivides, "errors")).isEqualTo(2);
    assertThat(List.of(process(one.id()), process(two.id())))
        .extracting(v -> v.lastSeen().stage()).containsExactly("errors", "errors");
  }

  @Test
  void bulk_replay_from_a_stage_needs_the_pipeline_and_a_stage_it_has() throws Exception {
    failedThroughTheErrorHandler();
    assertThatThrownBy(() -> engine.operations().replayAll(ProcessQuery.all(), "errors"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("pipeline");
    assertThatThrownBy(() -> engine.operations().replayAll(ProcessQuery.all().withPipeline("divide"), "nope"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ocean");
    assertThat(engine.processes().search(ProcessQuery.all().withStatus(ProcessStatus.FAILED)).items()).hasSize(1);
  }

  @Test
  void bulk_replay_from_a_stage_skips_processes_that_never_reached_it() throws Exception {
    ProcessView reached = failedThroughTheErrorHandler();
    ProcessView p = engine.processes().start("divide", StartRequest.of(Json.read("{\"x\":1,\"y\":1}"))).process();
    engine.workers().fail(claim("divide").id(), ErrorInfo.of("java.lang.ArithmeticException", "z"), true);
    // the errors stage of this one is claimed but not ended: it is RUNNING and not matched
    JsonNode ignored = claim("errors").input();
    assertThat(ignored).isNotNull();
    assertThat(engine.operations().replayAll(ProcessQuery.all().withPipeline("divide"), "ocean")).isZero();
    assertThat(process(reached.id()).status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(process(p.id()).status()).isEqualTo(ProcessStatus.RUNNING);
  }
}
