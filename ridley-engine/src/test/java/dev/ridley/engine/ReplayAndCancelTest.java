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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplayAndCancelTest {

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.FLOW);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  ClaimedTask claim(String stage) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of(stage), 1, Duration.ZERO);
    assertThat(got).hasSize(1);
    return got.getFirst();
  }

  ProcessView lostAtSecond() throws InterruptedException {
    ProcessView p = engine.processes().start("flow", StartRequest.of(Json.read("{\"v\":1}"))).process();
    engine.workers().complete(claim("first").id(), "ok", IntNode.valueOf(2));
    ClaimedTask second = claim("second");
    engine.workers().fail(second.id(), ErrorInfo.of("Boom", "second failed"), false);
    return engine.processes().process(p.id()).orElseThrow();
  }

  @Test
  void a_failed_process_is_replayed_at_the_stage_where_it_stopped_with_that_stages_input() throws Exception {
    ProcessView failed = lostAtSecond();
    assertThat(failed.status()).isEqualTo(ProcessStatus.FAILED);

    ProcessView replayed = engine.operations().replay(failed.id(), null);
    assertThat(replayed.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(replayed.replays()).isEqualTo(1);
    assertThat(replayed.error().type()).isEqualTo("Boom"); // kept until the replay ends otherwise
    ClaimedTask again = claim("second");
    assertThat(again.input()).isEqualTo(IntNode.valueOf(2));
    engine.workers().complete(again.id(), "ok", IntNode.valueOf(3));
    assertThat(engine.processes().process(failed.id()).orElseThrow().status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(engine.processes().events(failed.id())).extracting(JournalEvent::type).contains("process.replayed");
  }

  @Test
  void a_replay_from_an_earlier_stage_uses_the_input_that_stage_had() throws Exception {
    ProcessView failed = lostAtSecond();
    engine.operations().replay(failed.id(), "first");
    assertThat(claim("first").input()).isEqualTo(Json.read("{\"v\":1}"));
  }

  @Test
  void a_lost_process_is_replayable_and_its_lost_reason_is_cleared() throws Exception {
    ProcessView p = engine.processes().start("flow", StartRequest.of(Json.read("{}"))).process();
    claim("first");
    clock.advance(Duration.ofSeconds(6));
    engine.operations().sweepOnce();
    assertThat(engine.processes().process(p.id()).orElseThrow().lostReason()).isEqualTo(LostReason.TASK_HEARTBEAT_TIMEOUT);
    ProcessView replayed = engine.operations().replay(p.id(), null);
    assertThat(replayed.lostReason()).isNull();
    assertThat(replayed.lastSeen().stage()).isEqualTo("first");
  }

  @Test
  void replaying_a_running_or_succeeded_process_is_a_conflict_and_changes_nothing() throws Exception {
    ProcessView p = engine.processes().start("flow", StartRequest.of(Json.read("{}"))).process();
    int events = engine.processes().events(p.id()).size();
    assertThatThrownBy(() -> engine.operations().replay(p.id(), null))
        .isInstanceOf(ConflictException.class).hasMessageContaining("RUNNING");
    assertThat(engine.processes().events(p.id())).hasSize(events);
  }

  @Test
  void a_replay_from_an_unknown_stage_is_invalid() throws Exception {
    ProcessView failed = lostAtSecond();
    assertThatThrownBy(() -> engine.operations().replay(failed.id(), "nope"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("first");
  }

  @Test
  void bulk_replay_replays_every_match_and_answers_the_count() throws Exception {
    for (int i = 0; i < 3; i++) lostAtSecond();
    engine.processes().start("flow", StartRequest.of(Json.read("{}")));
    int n = engine.operations().replayAll(ProcessQuery.all().withPipeline("flow").withStatus(ProcessStatus.FAILED));
    assertThat(n).isEqualTo(3);
    assertThat(engine.processes().search(ProcessQuery.all().withStatus(ProcessStatus.FAILED)).items()).isEmpty();
    assertThatThrownBy(() -> engine.operations().replayAll(ProcessQuery.all().withStatus(ProcessStatus.RUNNING)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void cancelling_a_running_process_cancels_its_attempt_and_the_worker_is_told_on_its_next_call()
      throws Exception {
    ProcessView p = engine.processes().start("flow", StartRequest.of(Json.read("{}"))).process();
    ClaimedTask t = claim("first");
    ProcessView cancelled = engine.operations().cancel(p.id(), "operator said so");
    assertThat(cancelled.status()).isEqualTo(ProcessStatus.CANCELLED);
    assertThat(engine.processes().tasks(p.id()).getFirst().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThatThrownBy(() -> engine.workers().heartbeat(t.id())).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> engine.operations().cancel(p.id(), null)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> engine.operations().replay(p.id(), null)).isInstanceOf(ConflictException.class);
  }
}
