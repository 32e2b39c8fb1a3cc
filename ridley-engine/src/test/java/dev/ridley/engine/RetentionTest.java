package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionTest {

  /** Keeps ended processes for the engine's default retention (an hour in these tests). */
  static final String KEPT =
      """
      name: kept
      stages:
        work: {timeouts: {heartbeat: 5s}}
      routes:
        - work.invalid -> @park
      """;

  static final String SHORT =
      """
      name: short
      retention: 10m
      stages:
        work: {}
      """;

  static final String FOREVER =
      """
      name: forever
      retention: forever
      stages:
        work: {}
      """;

  static final Duration HOUR = Duration.ofHours(1);

  @RegisterExtension
  final TestEngines engines = TestEngines.of(KEPT, SHORT, FOREVER).configure(b -> b.defaultRetention(HOUR));
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  @Test
  void ended_processes_older_than_the_retention_are_deleted_with_their_tasks_and_journal() throws Exception {
    List<UUID> ended = List.of(succeeded("kept"), failed("kept"), cancelled("kept"), lost("kept"));
    UUID parked = parked("kept");
    UUID running = start("kept");
    assertThat(status(ended.get(3))).isEqualTo(ProcessStatus.LOST);
    assertThat(status(parked)).isEqualTo(ProcessStatus.PARKED);

    clock.advance(HOUR.plusSeconds(1));
    assertThat(engine.operations().purgeExpired()).isEqualTo(4);

    for (UUID id : ended) {
      assertThat(engine.processes().process(id)).isEmpty();
      assertThat(rows(id)).containsExactly(0L, 0L, 0L);
    }
    for (UUID id : List.of(parked, running)) {
      assertThat(rows(id)).allMatch(n -> n > 0);
    }
    assertThat(status(parked)).isEqualTo(ProcessStatus.PARKED);
    assertThat(status(running)).isEqualTo(ProcessStatus.RUNNING);
    assertThat(engine.operations().purgeExpired()).isZero();
  }

  @Test
  void processes_that_ended_within_the_retention_are_kept() throws Exception {
    UUID older = succeeded("kept");
    clock.advance(Duration.ofMinutes(30));
    UUID younger = succeeded("kept");
    clock.advance(Duration.ofMinutes(31));

    assertThat(engine.operations().purgeExpired()).isEqualTo(1);
    assertThat(engine.processes().process(older)).isEmpty();
    assertThat(status(younger)).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(rows(younger)).allMatch(n -> n > 0);
  }

  @Test
  void a_pipelines_own_retention_wins_over_the_default_and_forever_keeps() throws Exception {
    UUID byDefault = succeeded("kept");
    UUID shortLived = succeeded("short");
    UUID forever = succeeded("forever");

    clock.advance(Duration.ofMinutes(11));
    assertThat(engine.operations().purgeExpired()).isEqualTo(1);
    assertThat(engine.processes().process(shortLived)).isEmpty();

    clock.advance(Duration.ofDays(400));
    assertThat(engine.operations().purgeExpired()).isEqualTo(1);
    assertThat(engine.processes().process(byDefault)).isEmpty();
    assertThat(status(forever)).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void without_a_default_retention_ended_processes_are_kept_forever() throws Exception {
    UUID byDefault = succeeded("kept");
    UUID shortLived = succeeded("short");
    clock.advance(Duration.ofDays(4000));
    try (Engine unset = Engine.builder(engines.dataSource()).clock(clock).pipelines(engines.pipelines()).build()) {
      assertThat(unset.operations().purgeExpired()).isEqualTo(1);
    }
    assertThat(engine.processes().process(shortLived)).isEmpty();
    assertThat(status(byDefault)).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void the_sweeper_deletes_a_backlog_a_few_bounded_batches_at_a_time() throws Exception {
    List<UUID> ended = succeeded("kept", 20);
    clock.advance(HOUR.plusSeconds(1));
    try (Engine small = node(3)) {
      small.operations().sweepOnce();
      // 4 batches of 3 per sweep: 12 deleted, the other 8 wait for the next sweep
      assertThat(remaining(ended)).isEqualTo(8);
      small.operations().sweepOnce();
      assertThat(remaining(ended)).isZero();
    }
  }

  @Test
  void purge_expired_deletes_the_whole_backlog_batch_after_batch() throws Exception {
    List<UUID> ended = succeeded("kept", 20);
    clock.advance(HOUR.plusSeconds(1));
    try (Engine small = node(3)) {
      assertThat(small.operations().purgeExpired()).isEqualTo(20);
    }
    assertThat(remaining(ended)).isZero();
  }

  @Test
  void two_nodes_purging_at_once_delete_each_process_once_and_never_fail() throws Exception {
    List<UUID> ended = succeeded("kept", 60);
    clock.advance(HOUR.plusSeconds(1));
    try (Engine a = node(4); Engine b = node(4); ExecutorService pool = Executors.newFixedThreadPool(2)) {
      CyclicBarrier together = new CyclicBarrier(2);
      Callable<Integer> purgeA = () -> {
        together.await();
        return a.operations().purgeExpired();
      };
      Callable<Integer> purgeB = () -> {
        together.await();
        return b.operations().purgeExpired();
      };
      Future<Integer> fromA = pool.submit(purgeA);
      Future<Integer> fromB = pool.submit(purgeB);
      assertThat(fromA.get() + fromB.get()).isEqualTo(60);
    }
    assertThat(remaining(ended)).isZero();
  }

  private Engine node(int batchSize) {
    return Engine.builder(engines.dataSource()).clock(clock).pipelines(engines.pipelines())
        .defaultRetention(HOUR).purgeBatchSize(batchSize).build();
  }

  private UUID start(String pipeline) {
    return engine.processes().start(pipeline, StartRequest.of(Json.read("{}"))).process().id();
  }

  private ClaimedTask claim(UUID process, String pipeline) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of("work"), 1, Duration.ZERO);
    assertThat(got).hasSize(1);
    assertThat(got.getFirst().processId()).isEqualTo(process);
    return got.getFirst();
  }

  private UUID succeeded(String pipeline) throws InterruptedException {
    UUID id = start(pipeline);
    engine.workers().complete(claim(id, pipeline).id(), "ok", IntNode.valueOf(1));
    return id;
  }

  private List<UUID> succeeded(String pipeline, int n) throws InterruptedException {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(succeeded(pipeline));
    return ids;
  }

  private UUID failed(String pipeline) throws InterruptedException {
    UUID id = start(pipeline);
    engine.workers().fail(claim(id, pipeline).id(), ErrorInfo.of("Boom", "no"), false);
    return id;
  }

  private UUID cancelled(String pipeline) {
    UUID id = start(pipeline);
    engine.operations().cancel(id, "not needed");
    return id;
  }

  private UUID lost(String pipeline) throws InterruptedException {
    UUID id = start(pipeline);
    claim(id, pipeline);
    clock.advance(Duration.ofSeconds(6));
    engine.operations().sweepOnce();
    return id;
  }

  private UUID parked(String pipeline) throws InterruptedException {
    UUID id = start(pipeline);
    engine.workers().complete(claim(id, pipeline).id(), "invalid", null);
    return id;
  }

  private ProcessStatus status(UUID id) {
    return engine.processes().process(id).orElseThrow().status();
  }

  /** The process's rows in process, task and journal. */
  private List<Long> rows(UUID id) throws Exception {
    List<Long> counts = new ArrayList<>();
    for (String sql : List.of(
        "select count(*) from process where id = ?",
        "select count(*) from task where process_id = ?",
        "select count(*) from journal where process_id = ?")) {
      counts.add(count(sql, id));
    }
    return counts;
  }

  /** How many of the processes are left; and no task or journal row outlives its process. */
  private long remaining(List<UUID> ids) throws Exception {
    assertThat(count("select count(*) from task t where not exists"
        + " (select 1 from process p where p.id = t.process_id) and ? is not null", ids.getFirst())).isZero();
    assertThat(count("select count(*) from journal j where not exists"
        + " (select 1 from process p where p.id = j.process_id) and ? is not null", ids.getFirst())).isZero();
    long n = 0;
    for (UUID id : ids) n += count("select count(*) from process where id = ?", id);
    return n;
  }

  private long count(String sql, UUID id) throws Exception {
    try (Connection c = engines.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
