package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a person sees per stage: the line of queued tasks and who polls it. */
class StageViewTest {

  static final String FLOW =
      """
      name: flow
      stages:
        first: {retry: {attempts: 2, backoff: 10s}}
        second: {}
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(FLOW);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  @Test
  void next_lists_queued_tasks_in_the_order_workers_will_claim_them() throws Exception {
    for (int i = 0; i < 3; i++) {
      engine.processes().start("flow", StartRequest.of(IntNode.valueOf(i)));
      clock.advance(Duration.ofSeconds(1));
    }
    // The first one fails and waits out a 10 s backoff: it goes to the back of the line.
    ClaimedTask first = engine.workers().poll("w", List.of("first"), 1, Duration.ZERO).getFirst();
    engine.workers().fail(first.id(), ErrorInfo.of("Boom", "x"), true);

    List<TaskView> next = engine.operations().nextTasks("flow", "first", 10);
    assertThat(next).extracting(t -> t.input().asInt()).containsExactly(1, 2, 0);
    assertThat(next).extracting(TaskView::status).containsOnly(TaskStatus.QUEUED);
    assertThat(engine.operations().nextTasks("flow", "first", 2)).hasSize(2);
    assertThatThrownBy(() -> engine.operations().nextTasks("flow", "third", 2)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void workers_polling_a_stage_are_listed_for_thirty_seconds() throws Exception {
    engine.workers().poll("alice", List.of("first"), 1, Duration.ZERO);
    engine.workers().poll("bob", List.of("first", "second"), 1, Duration.ZERO);
    var seen = engine.operations().workersSeen("flow");
    assertThat(seen.get("first")).extracting(WorkerSeen::id).containsExactlyInAnyOrder("alice", "bob");
    assertThat(seen.get("second")).extracting(WorkerSeen::id).containsExactly("bob");
    assertThat(seen.get("first").getFirst().lastPollAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofSeconds(31));
    assertThat(engine.operations().workersSeen("flow")).isEmpty();
  }
}
