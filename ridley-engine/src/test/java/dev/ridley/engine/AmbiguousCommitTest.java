package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.engine.testing.TestPipelines;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commits whose connection breaks: the engine finds out whether they took effect before it
 * answers, or answers that the outcome is unknown. Reports are idempotent, so finding out is
 * applying them again; starts look up the id they wrote; claims put back what they may have taken.
 */
class AmbiguousCommitTest {

  /** What the next commit on the arming thread does before it throws as if the connection broke. */
  enum Fault { NONE, COMMIT_THEN_BREAK, ROLL_BACK_THEN_BREAK }

  static final ThreadLocal<Fault> fault = ThreadLocal.withInitial(() -> Fault.NONE);
  /** Connections the arming thread may not get after the fault: the database is gone for a while. */
  static final ThreadLocal<Integer> unreachable = ThreadLocal.withInitial(() -> 0);

  static HikariDataSource pool;
  static Engine engine;

  @BeforeAll
  static void setUp() {
    pool = TestDatabase.fresh();
    engine = Engine.builder(faulty(pool)).pipelines(List.of(PipelineLoader.parse(TestPipelines.DIVIDE, "divide.yaml")))
        .build();
  }

  @AfterAll
  static void tearDown() {
    engine.close();
    pool.close();
  }

  @AfterEach
  void disarm() {
    fault.set(Fault.NONE);
    unreachable.set(0);
  }

  static DataSource faulty(DataSource real) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, m, args) -> {
          if (m.getName().equals("getConnection")) {
            if (unreachable.get() > 0 && fault.get() == Fault.NONE) {
              unreachable.set(unreachable.get() - 1);
              throw new SQLException("Connection refused", "08001");
            }
            return connection((Connection) invoke(real, m, args));
          }
          return invoke(real, m, args);
        });
  }

  static Connection connection(Connection real) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, m, args) -> {
          if (m.getName().equals("commit") && fault.get() != Fault.NONE) {
            Fault f = fault.get();
            fault.set(Fault.NONE);
            if (f == Fault.COMMIT_THEN_BREAK) real.commit();
            else real.rollback();
            throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
          }
          return invoke(real, m, args);
        });
  }

  static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  ClaimedTask claim(UUID process) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      for (ClaimedTask t : engine.workers().poll("w", List.of("divide"), 100, Duration.ofMillis(50))) {
        if (t.processId().equals(process)) return t;
        engine.workers().release("w", List.of(t.id()), "not this test's");
      }
    }
    throw new AssertionError("no task for " + process);
  }

  UUID started() throws Exception {
    return engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":2}"))).process().id();
  }

  long events(UUID process, String type) {
    return engine.processes().events(process).stream().filter(e -> e.type().equals(type)).count();
  }

  @Test
  void the_same_report_sent_again_answers_as_the_first_and_a_different_one_is_409() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    TaskResult first = engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5));
    int journal = engine.processes().events(p).size();

    TaskResult again = engine.workers().complete(t.id(), "ok", json("0.50"));
    assertThat(again.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(again.task().id()).isEqualTo(first.task().id());
    assertThat(again.process().currentTask()).isEqualTo(first.process().currentTask());
    assertThat(engine.processes().events(p)).hasSize(journal);

    assertThatThrownBy(() -> engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.7)))
        .isInstanceOf(ConflictException.class).hasMessageContaining("no longer current");
    assertThatThrownBy(() -> engine.workers().complete(t.id(), "other", DoubleNode.valueOf(0.5)))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> engine.workers().fail(t.id(), ErrorInfo.of("X", "late"), true))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void the_same_failure_sent_again_answers_as_the_first() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    ErrorInfo error = new ErrorInfo("java.io.IOException", "flaky", "at x");
    engine.workers().fail(t.id(), error, true);
    TaskResult again = engine.workers().fail(t.id(), error, true);
    assertThat(again.task().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(engine.processes().tasks(p)).hasSize(2);
    assertThatThrownBy(() -> engine.workers().fail(t.id(), ErrorInfo.of("java.io.IOException", "other"), true))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void a_batch_naming_a_task_twice_with_the_same_result_answers_both_as_applied() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    List<ReportResult> r = engine.workers().completeAll(List.of(
        TaskReport.ok(t.id(), DoubleNode.valueOf(0.5)), TaskReport.ok(t.id(), DoubleNode.valueOf(0.5)),
        TaskReport.ok(t.id(), DoubleNode.valueOf(9))));
    assertThat(r.get(0).applied()).isTrue();
    assertThat(r.get(1).applied()).isTrue();
    assertThat(r.get(1).result().process().currentTask()).isEqualTo(r.get(0).result().process().currentTask());
    assertThat(r.get(2).refused()).isInstanceOf(ConflictException.class);
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isOne();
  }

  @Test
  void a_report_whose_commit_took_effect_but_broke_is_answered_as_applied_once() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    fault.set(Fault.COMMIT_THEN_BREAK);
    TaskResult r = engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5));
    assertThat(r.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(r.process().lastSeen().stage()).isEqualTo("ocean");
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isOne();
    assertThat(engine.processes().tasks(p)).hasSize(2);
  }

  @Test
  void a_report_whose_commit_broke_before_it_took_effect_is_applied_on_the_recheck() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    fault.set(Fault.ROLL_BACK_THEN_BREAK);
    TaskResult r = engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5));
    assertThat(r.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isOne();
  }

  @Test
  void a_report_whose_outcome_cannot_be_found_out_says_so_and_its_retry_is_safe() throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    fault.set(Fault.COMMIT_THEN_BREAK);
    unreachable.set(100);
    assertThatThrownBy(() -> engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5)))
        .isInstanceOf(CommitOutcomeUnknownException.class)
        .hasMessageContaining("the outcome is unknown")
        .hasMessageContaining("sending the same report again is safe");
    unreachable.set(0);
    TaskResult retried = engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5));
    assertThat(retried.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isOne();
  }

  @Test
  void a_start_whose_commit_took_effect_but_broke_is_created_once() throws Exception {
    String marker = UUID.randomUUID().toString();
    fault.set(Fault.COMMIT_THEN_BREAK);
    StartResult r = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":2,\"m\":\"" + marker + "\"}")));
    assertThat(r.result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(engine.processes().events(r.process().id()))
        .filteredOn(e -> e.type().equals(JournalEvent.PROCESS_STARTED)).hasSize(1);
    assertThat(engine.processes().search(new ProcessQuery("divide", null, null, null, null, null, null, null, null, 1000, null)).items())
        .filteredOn(v -> v.payload().path("m").asText().equals(marker)).hasSize(1);
  }

  @Test
  void a_start_whose_commit_broke_before_it_took_effect_is_made_on_the_recheck() throws Exception {
    fault.set(Fault.ROLL_BACK_THEN_BREAK);
    StartResult r = engine.processes().start("divide", StartRequest.of(json("{\"x\":1,\"y\":2}")).withCustomId("rb-1"));
    assertThat(r.result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(engine.processes().process(r.process().id())).isPresent();
  }

  @Test
  void a_start_whose_outcome_cannot_be_found_out_says_whether_a_retry_is_safe() throws Exception {
    fault.set(Fault.COMMIT_THEN_BREAK);
    unreachable.set(100);
    assertThatThrownBy(() -> engine.processes().start("divide", StartRequest.of(json("{}")).withCustomId("unknown-1")))
        .isInstanceOf(CommitOutcomeUnknownException.class)
        .hasMessageContaining("the outcome is unknown")
        .hasMessageContaining("retrying with the same customId ('unknown-1') is safe");
    unreachable.set(0);
    StartResult retried = engine.processes().start("divide", StartRequest.of(json("{}")).withCustomId("unknown-1"));
    assertThat(retried.result()).isEqualTo(StartResult.Result.ALREADY_EXISTS);

    fault.set(Fault.COMMIT_THEN_BREAK);
    unreachable.set(100);
    assertThatThrownBy(() -> engine.processes().start("divide", StartRequest.of(json("{}"))))
        .isInstanceOf(CommitOutcomeUnknownException.class)
        .hasMessageContaining("no customId, so a retry may create a second process");
  }

  @Test
  void a_claim_whose_commit_broke_puts_what_it_took_back_in_the_queue() throws Exception {
    // The worker's sighting written first (and whatever that poll took put back), so the next
    // commit on this thread is the claim's.
    List<UUID> took = engine.workers().poll("lost-claim", List.of("divide"), 1000, Duration.ZERO).stream()
        .map(ClaimedTask::id).toList();
    engine.workers().release("lost-claim", took, "not this test's");
    UUID p = started();
    fault.set(Fault.COMMIT_THEN_BREAK);
    assertThatThrownBy(() -> engine.workers().poll("lost-claim", List.of("divide"), 1000, Duration.ZERO))
        .isInstanceOf(CommitOutcomeUnknownException.class);
    TaskView task = engine.processes().tasks(p).getFirst();
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.attempt()).isEqualTo(1);
    assertThat(task.worker()).isNull();
    assertThat(events(p, JournalEvent.TASK_RELEASED)).as(engine.processes().events(p).toString()).isOne();
    assertThat(claim(p).attempt()).isEqualTo(1);
  }

  @Test
  void a_released_task_is_queued_again_with_the_same_attempt_and_the_tree_shows_the_claim_that_stuck()
      throws Exception {
    UUID p = started();
    ClaimedTask t = claim(p);
    assertThat(engine.workers().release("other-worker", List.of(t.id()), "x")).as("not its task").isZero();
    assertThat(engine.workers().release("w", List.of(t.id()), "the answer could not be delivered")).isOne();
    assertThat(engine.workers().release("w", List.of(t.id()), "twice")).isZero();
    JournalEvent released = engine.processes().events(p).stream()
        .filter(e -> e.type().equals(JournalEvent.TASK_RELEASED)).findFirst().orElseThrow();
    assertThat(released.data().path("worker").asText()).isEqualTo("w");
    assertThat(released.data().path("reason").asText()).isEqualTo("the answer could not be delivered");
    assertThat(released.attempt()).isEqualTo(1);

    ClaimedTask again = claim(p);
    assertThat(again.id()).isEqualTo(t.id());
    assertThat(again.attempt()).isEqualTo(1);
    engine.workers().complete(again.id(), "ok", DoubleNode.valueOf(0.5));
    String text = dev.ridley.engine.tree.ProcessTree.of(p, engine.processes().events(p), engine.processes().tasks(p))
        .toText(100);
    assertThat(text).contains("task.released").contains("ridley:claimed");
  }
}
