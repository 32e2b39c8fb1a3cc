package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stages with {@code transport: amqp}: their tasks go to the outbox in the transaction that creates
 * them, are leased by relays (never handed out by polls) and come back through the report path.
 */
class BrokeredStagesTest {

  static final String BROKERED =
      """
      name: brokered
      transport: amqp
      stages:
        divide: {maxInFlight: 2, timeouts: {enqueueToPoll: 10s}, retry: {attempts: 2}}
        ocean:  {transport: http}
      routes:
        - divide.ok -> ocean
      """;

  /** The same stage name over HTTP in another pipeline: polls serve it, and only it. */
  static final String POLLED =
      """
      name: polled
      stages:
        divide: {}
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(BROKERED, POLLED);
  final Engine engine = engines.engine();
  final SettableClock clock = engines.clock();
  final BrokerProtocol brokers = engine.brokers();

  UUID start(int i) {
    return engine.processes().start("brokered", StartRequest.of(IntNode.valueOf(i))).process().id();
  }

  List<ClaimedTask> lease(int max) throws InterruptedException {
    return brokers.lease(max, BrokerProtocol.DEFAULT_LEASE, Duration.ZERO);
  }

  long events(UUID process, String type) {
    return engine.processes().events(process).stream().filter(e -> e.type().equals(type)).count();
  }

  @Test
  void a_polled_amqp_stage_hands_out_nothing_and_its_tasks_wait_in_the_outbox() throws Exception {
    start(1);
    assertThat(engine.workers().poll("w", List.of("divide"), 10, Duration.ZERO)).isEmpty();
    assertThat(brokers.backlog()).isOne();
    List<ClaimedTask> leased = lease(10);
    assertThat(leased).singleElement().satisfies(t -> {
      assertThat(t.stage()).isEqualTo("divide");
      assertThat(t.input()).isEqualTo(IntNode.valueOf(1));
    });
    assertThat(lease(10)).as("a leased entry is not leased again").isEmpty();
    assertThat(brokers.backlog()).as("still unpublished until confirmed").isOne();
    brokers.published(List.of(leased.getFirst().id()));
    assertThat(brokers.backlog()).isZero();
  }

  @Test
  void a_stage_name_amqp_in_one_pipeline_and_http_in_another_is_polled_only_in_the_http_one() throws Exception {
    start(1);
    UUID polled = engine.processes().start("polled", StartRequest.of(IntNode.valueOf(2))).process().id();
    List<ClaimedTask> claimed = engine.workers().poll("w", List.of("divide"), 10, Duration.ZERO);
    assertThat(claimed).singleElement().satisfies(t -> assertThat(t.processId()).isEqualTo(polled));
    assertThat(lease(10)).singleElement().satisfies(t -> assertThat(t.pipeline()).isEqualTo("brokered"));
  }

  @Test
  void a_lease_that_ran_out_is_published_again() throws Exception {
    start(1);
    UUID first = lease(10).getFirst().id();
    clock.advance(BrokerProtocol.DEFAULT_LEASE.plusSeconds(1));
    assertThat(lease(10)).extracting(ClaimedTask::id).containsExactly(first);
  }

  @Test
  void max_in_flight_counts_published_and_unfinished_tasks() throws Exception {
    for (int i = 0; i < 5; i++) start(i);
    List<ClaimedTask> leased = lease(10);
    assertThat(leased).hasSize(2);
    brokers.published(leased.stream().map(ClaimedTask::id).toList());
    assertThat(lease(10)).isEmpty();
    brokers.report(List.of(TaskReport.ok(leased.getFirst().id(), IntNode.valueOf(7))));
    assertThat(lease(10)).as("one slot freed").hasSize(1);
  }

  @Test
  void a_paused_stage_keeps_its_tasks_unpublished() throws Exception {
    engine.operations().pause("brokered", "divide");
    start(1);
    assertThat(lease(10)).isEmpty();
    engine.operations().resume("brokered", "divide");
    assertThat(lease(10)).hasSize(1);
  }

  @Test
  void started_makes_the_task_running_and_a_result_routes_on_to_the_http_stage() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    assertThat(brokers.started("w-1", List.of(t.id()))).containsExactly(t.id());
    assertThat(brokers.started("w-1", List.of(t.id()))).as("only once").isEmpty();
    assertThat(engine.processes().tasks(p).getFirst().status()).isEqualTo(TaskStatus.RUNNING);
    List<ReportResult> r = brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2))));
    assertThat(r.getFirst().applied()).isTrue();
    assertThat(engine.workers().poll("w", List.of("ocean"), 1, Duration.ZERO)).hasSize(1);
  }

  @Test
  void a_result_without_started_implies_it_and_a_duplicate_is_journaled_and_changes_nothing() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    assertThat(brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2)))).getFirst().applied()).isTrue();
    assertThat(events(p, JournalEvent.TASK_CLAIMED)).isOne();
    int journal = engine.processes().events(p).size();
    assertThat(brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2)))).getFirst().applied()).isTrue();
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isOne();
    assertThat(events(p, JournalEvent.TASK_RESULT_REFUSED)).isOne();
    assertThat(engine.processes().events(p)).hasSize(journal + 1);
  }

  @Test
  void the_started_messages_of_a_batch_claim_each_task_for_its_own_worker() throws Exception {
    UUID p1 = start(1);
    UUID p2 = start(2);
    List<ClaimedTask> leased = lease(2);
    Map<UUID, String> workers = new LinkedHashMap<>();
    workers.put(leased.get(0).id(), "w-1");
    workers.put(leased.get(1).id(), "w-2");
    assertThat(brokers.started(workers)).containsExactlyInAnyOrderElementsOf(workers.keySet());
    assertThat(brokers.started(workers)).as("only once").isEmpty();
    for (UUID p : List.of(p1, p2)) {
      TaskView t = engine.processes().tasks(p).getFirst();
      assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(t.worker()).isEqualTo(workers.get(t.id()));
      assertThat(events(p, JournalEvent.TASK_CLAIMED)).isOne();
    }
  }

  @Test
  void a_started_message_that_came_with_its_result_is_claimed_for_its_worker_in_the_reports_transaction()
      throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    List<ReportResult> r =
        brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2))), Map.of(t.id(), "w-7"));
    assertThat(r.getFirst().applied()).isTrue();
    TaskView ended = engine.processes().tasks(p).getFirst();
    assertThat(ended.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(ended.worker()).isEqualTo("w-7");
    assertThat(engine.processes().events(p)).filteredOn(e -> e.type().equals(JournalEvent.TASK_CLAIMED))
        .singleElement().satisfies(e -> assertThat(e.data().path("worker").asText()).isEqualTo("w-7"));
    assertThat(brokers.started(Map.of(t.id(), "w-7"))).as("a late started changes nothing").isEmpty();
  }

  @Test
  void the_outbox_entry_of_a_task_ended_by_its_result_is_deleted_with_the_result() throws Exception {
    start(1);
    ClaimedTask t = lease(1).getFirst();
    brokers.published(List.of(t.id()));
    assertThat(outboxRows()).isOne();
    brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2))));
    assertThat(outboxRows()).isZero();
  }

  long outboxRows() throws Exception {
    try (var c = engines.dataSource().getConnection();
        var rs = c.createStatement().executeQuery("select count(*) from amqp_outbox")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void a_stale_result_is_refused_journaled_and_changes_nothing() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    clock.advance(Duration.ofSeconds(11));
    engine.operations().sweepOnce(); // enqueueToPoll: the task was never started
    clock.advance(Duration.ofMinutes(2)); // the retry's backoff
    ClaimedTask second = lease(1).getFirst();
    assertThat(second.attempt()).isEqualTo(2);
    ReportResult r = brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2)))).getFirst();
    assertThat(r.refused()).isInstanceOf(ConflictException.class);
    assertThat(events(p, JournalEvent.TASK_RESULT_REFUSED)).isOne();
    assertThat(events(p, JournalEvent.TASK_COMPLETED)).isZero();
  }

  @Test
  void an_http_report_and_heartbeat_work_for_an_amqp_task() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    engine.workers().heartbeat(t.id());
    assertThat(engine.processes().tasks(p).getFirst().status()).isEqualTo(TaskStatus.RUNNING);
    engine.workers().complete(t.id(), "ok", IntNode.valueOf(3));
    assertThat(engine.processes().tasks(p)).hasSize(2);
  }

  @Test
  void a_replayed_process_publishes_its_new_task_through_the_outbox() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    ErrorInfo error = new ErrorInfo("Boom", "no", null);
    brokers.report(List.of(TaskReport.failed(t.id(), error, false, null)));
    assertThat(engine.processes().process(p).orElseThrow().status()).isEqualTo(ProcessStatus.FAILED);
    engine.operations().replay(p, null);
    ClaimedTask again = lease(1).getFirst();
    assertThat(again.processId()).isEqualTo(p);
    assertThat(again.stage()).isEqualTo("divide");
    assertThat(again.id()).isNotEqualTo(t.id());
  }

  @Test
  void a_cancelled_tasks_result_is_refused() throws Exception {
    UUID p = start(1);
    ClaimedTask t = lease(1).getFirst();
    engine.operations().cancel(p, "test");
    assertThat(brokers.report(List.of(TaskReport.ok(t.id(), IntNode.valueOf(2)))).getFirst().refused())
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> engine.workers().heartbeat(t.id())).isInstanceOf(ConflictException.class);
  }
}
