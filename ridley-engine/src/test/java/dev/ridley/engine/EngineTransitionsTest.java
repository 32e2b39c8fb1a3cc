package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EngineTransitionsTest {

  @RegisterExtension static final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE).systemClock();
  static Engine engine;

  @BeforeAll
  static void setUp() {
    engine = engines.engine();
  }

  static JsonNode json(String s) {
    return Json.read(s);
  }

  ClaimedTask claimOne(String stage, UUID process) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      for (ClaimedTask t : engine.workers().poll("w", List.of(stage), 100, Duration.ofMillis(100))) {
        // Tasks of other tests' processes stay claimed and unreported: harmless here.
        if (t.processId().equals(process)) return t;
      }
    }
    throw new AssertionError("no task at " + stage + " for " + process);
  }

  static List<UUID> seenBefore(java.time.Instant at) {
    ProcessQuery q = new ProcessQuery("divide", null, null, null, null, at, null, null, null, 1000, null);
    return engine.processes().search(q).items().stream().map(ProcessView::id).toList();
  }

  @Test
  void a_claim_moves_last_seen_to_the_claim_without_writing_the_process() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":2}"))).process();
    Thread.sleep(5);
    ClaimedTask divide = claimOne("divide", p.id());
    TaskView task = engine.processes().tasks(p.id()).getFirst();
    ProcessView seen = engine.processes().process(p.id()).orElseThrow();
    assertThat(seen.lastSeen().stage()).isEqualTo("divide");
    assertThat(seen.lastSeen().at()).isEqualTo(task.polledAt()).isAfter(p.lastSeen().at());
    assertThat(task.id()).isEqualTo(divide.id());
    assertThat(seenBefore(task.polledAt())).doesNotContain(p.id());
    assertThat(seenBefore(task.polledAt().plusMillis(1))).contains(p.id());
  }

  @Test
  void a_process_moves_through_its_stages_and_succeeds_with_the_last_output() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":2}"))).process();
    assertThat(p.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(p.lastSeen().stage()).isEqualTo("divide");

    ClaimedTask divide = claimOne("divide", p.id());
    assertThat(divide.input()).isEqualTo(json("{\"x\":1,\"y\":2}"));
    engine.workers().complete(divide.id(), null, DoubleNode.valueOf(0.5));

    ClaimedTask ocean = claimOne("ocean", p.id());
    assertThat(ocean.input()).isEqualTo(DoubleNode.valueOf(0.5));
    TaskResult done = engine.workers().complete(ocean.id(), "ok", ocean.input());

    assertThat(done.process().status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(done.process().output()).isEqualTo(DoubleNode.valueOf(0.5));
    assertThat(done.process().lastSeen().stage()).isEqualTo("ocean");
    assertThat(done.process().finishedAt()).isNotNull();
    assertThat(engine.processes().events(p.id())).extracting(JournalEvent::type).containsExactly(
        "process.started", "task.enqueued", "task.claimed", "task.completed", "process.routed",
        "task.enqueued", "task.claimed", "task.completed", "process.routed", "process.succeeded");
  }

  @Test
  void a_non_retryable_failure_follows_its_route_and_the_process_fails_with_the_error() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":0}"))).process();
    ClaimedTask divide = claimOne("divide", p.id());
    engine.workers().fail(divide.id(), ErrorInfo.of("java.lang.ArithmeticException", "/ by zero"), true);

    ClaimedTask errors = claimOne("errors", p.id());
    assertThat(errors.input()).isEqualTo(json("{\"x\":1,\"y\":0}"));
    ProcessView ended = engine.workers().complete(errors.id(), "ok", null).process();

    assertThat(ended.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(ended.error().type()).isEqualTo("java.lang.ArithmeticException");
    assertThat(ended.lastSeen().stage()).isEqualTo("errors");
  }

  @Test
  void a_retryable_failure_is_retried_as_a_new_attempt_with_a_new_task_id() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":3,\"y\":1}"))).process();
    ClaimedTask first = claimOne("divide", p.id());
    engine.workers().fail(first.id(), ErrorInfo.of("java.io.IOException", "flaky"), true);

    ClaimedTask second = claimOne("divide", p.id());
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(engine.processes().tasks(p.id())).extracting(TaskView::status)
        .containsExactly(TaskStatus.FAILED, TaskStatus.RUNNING);
  }

  @Test
  void a_result_for_an_attempt_that_is_no_longer_current_is_rejected_and_changes_nothing() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":4,\"y\":2}"))).process();
    ClaimedTask divide = claimOne("divide", p.id());
    engine.workers().complete(divide.id(), "ok", DoubleNode.valueOf(2));
    List<JournalEvent> before = engine.processes().events(p.id());

    assertThatThrownBy(() -> engine.workers().complete(divide.id(), "ok", DoubleNode.valueOf(99)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("no longer current");
    assertThatThrownBy(() -> engine.workers().fail(divide.id(), ErrorInfo.of("X", "late"), true))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> engine.workers().heartbeat(divide.id())).isInstanceOf(ConflictException.class);

    assertThat(engine.processes().events(p.id())).isEqualTo(before);
    assertThat(engine.processes().process(p.id()).orElseThrow().lastSeen().stage()).isEqualTo("ocean");
  }

  @Test
  void a_result_for_an_unknown_task_is_not_found() {
    assertThatThrownBy(() -> engine.workers().complete(UUID.randomUUID(), "ok", null))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void the_same_custom_id_and_payload_answers_already_exists_and_creates_nothing() {
    StartRequest req = StartRequest.of(json("{\"x\":1,\"y\":5}")).withCustomId("order-17");
    StartResult first = engine.processes().start("divide", req);
    StartResult again = engine.processes().start("divide", StartRequest.of(json("{ \"y\":5, \"x\":1 }")).withCustomId("order-17"));
    StartResult other = engine.processes().start("divide", StartRequest.of(json("{\"x\":2,\"y\":5}")).withCustomId("order-17"));

    assertThat(first.result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(again.result()).isEqualTo(StartResult.Result.ALREADY_EXISTS);
    assertThat(again.process().id()).isEqualTo(first.process().id());
    assertThat(other.result()).isEqualTo(StartResult.Result.CONFLICT);
    assertThat(other.process().payload()).isEqualTo(json("{\"x\":1,\"y\":5}"));
    assertThat(engine.processes().search(ProcessQuery.all().withPipeline("divide")).items())
        .filteredOn(x -> "order-17".equals(x.customId())).hasSize(1);
  }

  @Test
  void an_unknown_pipeline_is_not_found_and_names_the_loaded_ones() {
    assertThatThrownBy(() -> engine.processes().start("nope", StartRequest.of(json("{}"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("divide");
  }

  @Test
  void a_named_outcome_without_a_route_ends_the_process_as_succeeded_never_dropped() throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":1}"))).process();
    ClaimedTask divide = claimOne("divide", p.id());
    ProcessView ended = engine.workers().complete(divide.id(), "invalid", json("{\"why\":\"test\"}")).process();
    assertThat(ended.status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(ended.output()).isEqualTo(json("{\"why\":\"test\"}"));
  }

  @Test
  void a_poll_waits_for_work_and_wakes_when_a_process_starts() throws Exception {
    Thread starter = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      engine.processes().start("divide", StartRequest.of(json("{\"x\":8,\"y\":2}")));
    });
    long t0 = System.nanoTime();
    List<ClaimedTask> got = engine.workers().poll("w", List.of("divide"), 5, Duration.ofSeconds(10));
    starter.join();
    assertThat(got).isNotEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    got.forEach(t -> engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(4)));
  }
}
