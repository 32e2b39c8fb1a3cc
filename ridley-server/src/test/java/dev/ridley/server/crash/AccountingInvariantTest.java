package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.Outcome;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import dev.ridley.worker.TaskContext;
import dev.ridley.worker.TaskHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized: workers that succeed, fail, return named outcomes, die silently or run slow; some
 * processes are cancelled. Afterwards every process ended exactly once and every journal adds up.
 */
class AccountingInvariantTest {

  static final int PROCESSES = 200;

  @Test
  void started_equals_succeeded_plus_failed_plus_parked_plus_lost_plus_cancelled(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("chaos.yaml"), """
        name: chaos
        defaults:
          retry: {attempts: 2, backoff: 50ms}
          timeouts: {heartbeat: 1s, pollToEnd: 3s}
        stages:
          one: {}
          two: {}
          fix: {retry: {attempts: 1}}
        routes:
          - one.ok -> two
          - one.invalid -> fix
          - two.failed -> fix
          - fix.ok -> @park
        """);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String dbUrl = TestDatabase.freshUrl();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setDbUrl(dbUrl).setDbUser("postgres")
            .setPipelines(dir).setSweepInterval(Duration.ofMillis(100)).build());
        RidleyWorker workers = RidleyWorker.builder(server.uri()).workerId("chaos").concurrency(24)
            .pollWait(Duration.ofMillis(500)).heartbeatInterval(Duration.ofMillis(200))
            .handle("one", chaotic(seed)).handle("two", chaotic(seed + 1)).handle("fix", chaotic(seed + 2))
            .build().start();
        RidleyClient client = RidleyClient.create(server.uri());
        HikariDataSource db = TestDatabase.pool(dbUrl)) {
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        ids.add(client.start("chaos", StartRequest.of(Map.of("i", i))).process().id());
        if (random.nextInt(20) == 0) cancel(server.uri(), ids.getLast());
      }
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> scalar(db, "select count(*) from process where status = 'RUNNING'") == 0);

      String why = "seed " + seed;
      long ended = scalar(db, "select count(*) from process where status in"
          + " ('SUCCEEDED','FAILED','PARKED','LOST','CANCELLED')");
      assertThat(ended).as(why).isEqualTo(PROCESSES);
      assertThat(scalar(db, "select count(*) from process")).as(why).isEqualTo(PROCESSES);
      // every attempt enqueued exactly once, claimed at most once, ended at most once
      assertThat(scalar(db, "select count(*) from task t where (select count(*) from journal_event j"
          + " where j.task_id = t.id and j.type = 'task.enqueued') <> 1")).as(why).isZero();
      assertThat(scalar(db, "select count(*) from (select task_id from journal_event where type = 'task.claimed'"
          + " group by task_id having count(*) > 1) x")).as(why).isZero();
      assertThat(scalar(db, "select count(*) from (select task_id from journal_event where type in ('task.completed',"
          + " 'task.failed', 'task.timed_out', 'task.cancelled') group by task_id having count(*) > 1) x")).as(why).isZero();
      // every ended attempt has its end in the journal; only ended attempts do
      assertThat(scalar(db, "select count(*) from task t where t.status not in ('QUEUED','RUNNING') and not exists"
          + " (select 1 from journal_event j where j.task_id = t.id and j.type in ('task.completed','task.failed',"
          + " 'task.timed_out','task.cancelled'))")).as(why).isZero();
      // every process started once and ended once
      assertThat(scalar(db, "select count(*) from process p where (select count(*) from journal_event j where"
          + " j.process_id = p.id and j.type = 'process.started') <> 1")).as(why).isZero();
      assertThat(scalar(db, "select count(*) from process p where (select count(*) from journal_event j where"
          + " j.process_id = p.id and j.type in ('process.succeeded','process.failed','process.parked',"
          + " 'process.lost','process.cancelled')) <> 1")).as(why).isZero();
      // the mix really exercised every ending
      assertThat(scalar(db, "select count(distinct status) from process")).as(why).isGreaterThanOrEqualTo(4);
    }
  }

  /** A handler that picks a behaviour at random for each attempt. */
  static TaskHandler chaotic(long seed) {
    Random r = new Random(seed);
    return (TaskContext task) -> {
      int dice;
      synchronized (r) {
        dice = r.nextInt(100);
      }
      if (dice < 55) return task.input();
      if (dice < 70) throw new IllegalStateException("random failure of attempt " + task.attempt());
      if (dice < 80) return Outcome.of("invalid", task.input());
      if (dice < 90) { // dies silently: no heartbeat, no result until long after the timer fired
        task.stopHeartbeats();
        Thread.sleep(1800);
        return task.input();
      }
      Thread.sleep(300); // slow but alive
      return task.input();
    };
  }

  static void cancel(URI server, UUID id) {
    new dev.ridley.server.Http(server).post("/api/v1/processes/" + id + "/cancel", "{\"reason\":\"random\"}");
  }

  static long scalar(HikariDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
