package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every silence has a timer: each fires, retries by policy, routes timeout, or ends LOST. */
class TimersTest {

  static final String P2E =
      """
      name: p2e
      stages:
        p2e: {timeouts: {pollToEnd: 10s}}
        rescue: {}
      routes:
        - p2e.timeout -> rescue
      """;
  static final String SLOW =
      """
      name: slow
      timeout: 1m
      stages:
        slow: {timeouts: {pollToEnd: 1h}}
      """;
  static final String E2E =
      """
      name: e2e
      stages:
        e2e: {timeouts: {enqueueToEnd: 20s}, retry: {attempts: 5, backoff: 1s}}
      """;

  @RegisterExtension
  final TestEngines engines = TestEngines.of(TestPipelines.HEARTBEAT, P2E, TestPipelines.UNCLAIMED, E2E, SLOW);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  ProcessView start(String pipeline) {
    return engine.processes().start(pipeline, StartRequest.of(Json.read("{\"n\":1}"))).process();
  }

  ClaimedTask claim(String stage) {
    try {
      List<ClaimedTask> got = engine.workers().poll("w-1", List.of(stage), 1, Duration.ZERO);
      assertThat(got).as("a task is claimable at %s", stage).hasSize(1);
      return got.getFirst();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  ProcessView process(UUID id) {
    return engine.processes().process(id).orElseThrow();
  }

  @Test
  void a_silent_worker_is_found_by_the_heartbeat_timer_retried_then_lost_where_it_was_last_seen() {
    ProcessView p = start("hb");
    ClaimedTask first = claim("hb");
    clock.advance(Duration.ofSeconds(6));
    assertThat(engine.operations().sweepOnce()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // the retry's backoff
    ClaimedTask second = claim("hb");
    assertThat(second.attempt()).isEqualTo(2);
    assertThatThrownBy(() -> engine.workers().complete(first.id(), "ok", null)).isInstanceOf(ConflictException.class);

    clock.advance(Duration.ofSeconds(6));
    engine.operations().sweepOnce();
    ProcessView lost = process(p.id());
    assertThat(lost.status()).isEqualTo(ProcessStatus.LOST);
    assertThat(lost.lostReason()).isEqualTo(LostReason.TASK_HEARTBEAT_TIMEOUT);
    assertThat(lost.lastSeen().stage()).isEqualTo("hb");
    assertThat(lost.error().message()).contains("no heartbeat");
    assertThat(engine.processes().tasks(p.id())).extracting(TaskView::status)
        .containsExactly(TaskStatus.TIMED_OUT, TaskStatus.TIMED_OUT);
  }

  @Test
  void heartbeats_keep_an_attempt_alive() {
    ProcessView p = start("hb");
    ClaimedTask t = claim("hb");
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(3));
      engine.workers().heartbeat(t.id());
      assertThat(engine.operations().sweepOnce()).isZero();
    }
    engine.workers().complete(t.id(), "ok", IntNode.valueOf(1));
    assertThat(process(p.id()).status()).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void a_timer_that_fired_is_not_fired_again_and_late_results_are_rejected() {
    ProcessView p = start("hb");
    ClaimedTask t = claim("hb");
    clock.advance(Duration.ofSeconds(6));
    engine.operations().sweepOnce();
    int events = engine.processes().events(p.id()).size();
    assertThat(engine.operations().sweepOnce()).isZero();
    assertThatThrownBy(() -> engine.workers().heartbeat(t.id())).isInstanceOf(ConflictException.class);
    assertThat(engine.processes().events(p.id())).hasSize(events);
  }

  @Test
  void enqueue_to_poll_fires_when_no_worker_takes_the_task() {
    ProcessView p = start("e2p");
    clock.advance(Duration.ofSeconds(4));
    engine.operations().sweepOnce();
    ProcessView lost = process(p.id());
    assertThat(lost.status()).isEqualTo(ProcessStatus.LOST);
    assertThat(lost.lostReason()).isEqualTo(LostReason.TASK_ENQUEUE_TO_POLL_TIMEOUT);
    assertThat(lost.lastSeen().stage()).isEqualTo("e2p");
  }

  @Test
  void poll_to_end_fires_and_routes_timeout_when_the_pipeline_has_a_route() {
    ProcessView p = start("p2e");
    claim("p2e");
    clock.advance(Duration.ofSeconds(11));
    engine.operations().sweepOnce();
    ProcessView moved = process(p.id());
    assertThat(moved.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(moved.lastSeen().stage()).isEqualTo("rescue");
    assertThat(claim("rescue").input()).isEqualTo(Json.read("{\"n\":1}"));
  }

  @Test
  void enqueue_to_end_bounds_all_attempts_of_a_stage_and_is_not_retried() {
    ProcessView p = start("e2e");
    for (int i = 0; i < 3; i++) {
      ClaimedTask t = claim("e2e");
      engine.workers().fail(t.id(), ErrorInfo.of("Flaky", "again"), true);
      clock.advance(Duration.ofSeconds(8));
    }
    engine.operations().sweepOnce();
    ProcessView lost = process(p.id());
    assertThat(lost.status()).isEqualTo(ProcessStatus.LOST);
    assertThat(lost.lostReason()).isEqualTo(LostReason.TASK_ENQUEUE_TO_END_TIMEOUT);
  }

  @Test
  void the_process_timeout_ends_a_process_that_never_finishes_as_lost() {
    ProcessView p = start("slow");
    ClaimedTask t = claim("slow");
    clock.advance(Duration.ofSeconds(59));
    assertThat(engine.operations().sweepOnce()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(engine.operations().sweepOnce()).isEqualTo(1);
    ProcessView lost = process(p.id());
    assertThat(lost.status()).isEqualTo(ProcessStatus.LOST);
    assertThat(lost.lostReason()).isEqualTo(LostReason.PROCESS_START_TO_END_TIMEOUT);
    assertThatThrownBy(() -> engine.workers().complete(t.id(), "ok", null)).isInstanceOf(ConflictException.class);
  }

  @Test
  void two_nodes_sweeping_the_same_database_fire_each_timer_once() throws Exception {
    Engine other = engines.node();
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(start("hb").id());
    }
    engine.workers().poll("w", List.of("hb"), 30, Duration.ZERO);
    clock.advance(Duration.ofSeconds(6));
    Thread a = Thread.ofVirtual().start(engine.operations()::sweepOnce);
    Thread b = Thread.ofVirtual().start(other.operations()::sweepOnce);
    a.join();
    b.join();
    for (UUID id : ids) {
      assertThat(engine.processes().events(id)).filteredOn(e -> e.type().equals("task.timed_out")).hasSize(1);
      assertThat(engine.processes().tasks(id)).hasSize(2);
    }
  }
}
