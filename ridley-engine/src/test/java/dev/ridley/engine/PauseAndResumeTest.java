package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Paused stages hold their tasks queued; nothing is dropped and starts are still accepted. */
class PauseAndResumeTest {

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.FLOW);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  List<ClaimedTask> poll(Engine e, String stage) throws InterruptedException {
    return e.workers().poll("w", List.of(stage), 10, Duration.ZERO);
  }

  UUID atSecond() throws InterruptedException {
    UUID id = engine.processes().start("flow", StartRequest.of(IntNode.valueOf(1))).process().id();
    engine.workers().complete(poll(engine, "first").getFirst().id(), "ok", IntNode.valueOf(2));
    return id;
  }

  @Test
  void a_paused_stage_keeps_its_tasks_queued_and_resuming_lets_them_go() throws Exception {
    engine.operations().pause("flow", "second");
    UUID id = atSecond();
    assertThat(poll(engine, "second")).isEmpty();
    assertThat(engine.operations().nextTasks("flow", "second", 10)).extracting(TaskView::processId).containsExactly(id);
    assertThat(engine.operations().paused("flow")).containsEntry("first", false).containsEntry("second", true);

    engine.operations().resume("flow", "second");
    assertThat(poll(engine, "second")).extracting(ClaimedTask::processId).containsExactly(id);
  }

  @Test
  void pausing_the_pipeline_holds_every_stage_and_still_accepts_starts() throws Exception {
    engine.operations().pause("flow", null);
    StartResult started = engine.processes().start("flow", StartRequest.of(IntNode.valueOf(1)));
    assertThat(started.result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(poll(engine, "first")).isEmpty();
    assertThat(engine.operations().paused("flow").values()).containsOnly(true);

    engine.operations().resume("flow", null);
    assertThat(engine.operations().paused("flow").values()).containsOnly(false);
    assertThat(poll(engine, "first")).hasSize(1);
  }

  @Test
  void a_pause_holds_on_every_node_within_a_second() throws Exception {
    Engine other = engines.node();
    atSecond();
    assertThat(other.operations().paused("flow")).containsEntry("second", false); // loads its copy now
    engine.operations().pause("flow", "second");
    clock.advance(Duration.ofMillis(1_100));
    assertThat(poll(other, "second")).isEmpty();
    assertThat(other.operations().paused("flow")).containsEntry("second", true);
  }

  @Test
  void a_paused_stage_does_not_time_out_its_queued_tasks_and_after_a_resume_enqueue_to_poll_counts_from_the_resume()
      throws Exception {
    engine.operations().pause("flow", "second");
    UUID id = atSecond();
    clock.advance(Duration.ofMinutes(5));
    engine.operations().sweepOnce();
    assertThat(engine.processes().process(id).orElseThrow().status()).isEqualTo(ProcessStatus.RUNNING);

    engine.operations().resume("flow", "second");
    clock.advance(Duration.ofSeconds(2));
    engine.operations().sweepOnce();
    assertThat(engine.processes().process(id).orElseThrow().status()).isEqualTo(ProcessStatus.RUNNING);

    clock.advance(Duration.ofSeconds(2)); // 4 s since the resume, nobody polled
    engine.operations().sweepOnce();
    ProcessView lost = engine.processes().process(id).orElseThrow();
    assertThat(lost.status()).isEqualTo(ProcessStatus.LOST);
    assertThat(lost.lostReason()).isEqualTo(LostReason.TASK_ENQUEUE_TO_POLL_TIMEOUT);
  }

  @Test
  void pausing_an_unknown_stage_names_the_stages() {
    assertThatThrownBy(() -> engine.operations().pause("flow", "third"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("first").hasMessageContaining("second");
    assertThatThrownBy(() -> engine.operations().pause("nope", null)).isInstanceOf(NotFoundException.class);
  }
}
