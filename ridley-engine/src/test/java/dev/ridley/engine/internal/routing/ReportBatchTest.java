package dev.ridley.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.RidleyException;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.engine.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reports through the one path, as a batch of one and as many. */
class ReportBatchTest {

  static final String PIPELINE =
      """
      name: divide
      stages:
        divide: {}
        ocean: {}
      routes:
        - divide.ok -> ocean
        - ocean.ok -> @done
      """;

  /** How many more times the checkpoint throws at the first statement of a report. */
  static final AtomicInteger failures = new AtomicInteger();
  static Db db;
  static Transitions transitions;

  @BeforeAll
  static void setUp() {
    Pipeline p = PipelineLoader.parse(PIPELINE, "divide.yaml");
    db = new Db(TestDatabase.fresh());
    transitions = new Transitions(Map.of("divide", p), Clock.systemUTC(), UUID::randomUUID, step -> {
      if (step.equals("report.task-finished") && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("injected failure at " + step);
      }
    });
  }

  @BeforeEach
  void reset() {
    failures.set(0);
  }

  /** Starts a process and claims its first task. */
  TaskView running() {
    UUID process = db.tx(c -> transitions.start(c, "divide", StartRequest.of(Json.read("{}")))).process().id();
    UUID task = db.read(c -> ProcessRows.find(c, process)).orElseThrow().currentTask();
    db.tx(c -> TaskRows.claim(c, List.of("divide"), 1000, "w", transitions.now()));
    TaskView t = db.read(c -> TaskRows.find(c, task)).orElseThrow();
    assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
    return t;
  }

  static TaskReport ok(TaskView t) {
    return TaskReport.ok(t.id(), DoubleNode.valueOf(0.5));
  }

  @Test
  void a_batch_naming_a_task_twice_applies_the_first_answers_the_same_again_and_refuses_another() {
    TaskView t = running();
    List<ReportResult> results = ReportBatch.apply(db, transitions,
        List.of(ok(t), ok(t), TaskReport.ok(t.id(), DoubleNode.valueOf(0.25))));
    assertThat(results.get(0).applied()).isTrue();
    assertThat(results.get(0).result().process().lastSeen().stage()).isEqualTo("ocean");
    assertThat(results.get(1).applied()).as("the same result again").isTrue();
    assertThat(results.get(1).result().task()).isEqualTo(results.get(0).result().task());
    assertThat(results.get(2).refused())
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("no longer current");
    List<TaskView> tasks = db.read(c -> TaskRows.ofProcess(c, t.processId()));
    assertThat(tasks).hasSize(2);
  }

  @Test
  void answers_come_in_the_order_given_with_invalid_reports_refused_in_place() {
    TaskView a = running();
    TaskView b = running();
    List<ReportResult> results = ReportBatch.apply(db, transitions, List.of(
        ok(a), TaskReport.outcome(b.id(), "timeout", null, null), TaskReport.outcome(b.id(), "ok", null, null)));
    assertThat(results).extracting(ReportResult::taskId).containsExactly(a.id(), b.id(), b.id());
    assertThat(results.get(0).applied()).isTrue();
    assertThat(results.get(1).refused()).isInstanceOf(InvalidRequestException.class);
    assertThat(results.get(2).applied()).isTrue();
  }

  @Test
  void a_single_report_that_fails_throws_and_changes_nothing() {
    TaskView t = running();
    failures.set(1);
    assertThatThrownBy(() -> ReportBatch.apply(db, transitions, List.of(ok(t))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("injected failure");
    assertThat(failures.get()).as("not tried again").isZero();
    assertThat(db.read(c -> TaskRows.find(c, t.id())).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);

    assertThat(ReportBatch.apply(db, transitions, List.of(ok(t))).getFirst().applied()).isTrue();
  }

  @Test
  void a_batch_that_fails_whole_applies_each_report_alone() {
    TaskView a = running();
    TaskView b = running();
    failures.set(1);
    List<ReportResult> results = ReportBatch.apply(db, transitions, List.of(ok(a), ok(b)));
    assertThat(results).allMatch(ReportResult::applied);
    assertThat(db.read(c -> ProcessRows.find(c, b.processId())).orElseThrow().lastSeen().stage()).isEqualTo("ocean");
  }

  @Test
  void a_report_of_a_batch_that_fails_alone_too_is_refused_with_its_error() {
    TaskView a = running();
    TaskView b = running();
    failures.set(3); // the batch, then each alone
    List<ReportResult> results = ReportBatch.apply(db, transitions, List.of(ok(a), ok(b)));
    assertThat(results).noneMatch(ReportResult::applied);
    assertThat(results.get(0).refused())
        .isExactlyInstanceOf(RidleyException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(db.read(c -> ProcessRows.find(c, a.processId())).orElseThrow().status()).isEqualTo(ProcessStatus.RUNNING);
  }
}
