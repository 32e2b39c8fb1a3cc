package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.cli.RidleyCli;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server killed with SIGKILL under load, then restarted: every process ends exactly once. */
class ServerCrashTest {

  static final int PROCESSES = 1000;

  @Test
  void a_server_killed_with_a_thousand_processes_in_flight_loses_none_after_restart(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), """
        name: flow
        stages:
          first:  {timeouts: {pollToEnd: 3s}, retry: {attempts: 10, backoff: 200ms}}
          second: {timeouts: {pollToEnd: 3s}, retry: {attempts: 10, backoff: 200ms}}
        routes:
          - first.ok -> second
        """);
    String dbUrl = TestDatabase.freshUrl();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("RIDLEY_DB_URL", dbUrl);
    env.put("RIDLEY_DB_USER", "postgres");
    env.put("RIDLEY_HTTP_PORT", Integer.toString(port));
    env.put("RIDLEY_PIPELINES", dir.toString());
    env.put("RIDLEY_SWEEP_INTERVAL_MS", "200");
    URI uri = URI.create("http://127.0.0.1:" + port);

    AtomicInteger handled = new AtomicInteger();
    ChildJvm first = ChildJvm.start("server-1", RidleyCli.class, env, "server");
    try (HikariDataSource db = TestDatabase.pool(dbUrl)) {
      first.awaitLine("Ridley listening", Duration.ofSeconds(60));
      try (RidleyClient client = RidleyClient.create(uri)) {
        for (int i = 0; i < PROCESSES; i++) {
          client.start("flow", StartRequest.of(Map.of("i", i)).withCustomId("p-" + i));
        }
      }
      try (RidleyWorker workers = RidleyWorker.builder(uri).workerId("survivor").concurrency(16)
          .pollWait(Duration.ofMillis(500))
          .handle("first", t -> { handled.incrementAndGet(); Thread.sleep(2); return t.input(); })
          .handle("second", t -> { handled.incrementAndGet(); Thread.sleep(2); return t.input(); })
          .build().start()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() >= PROCESSES / 2);
        first.kill();
        first.saveOutput(Path.of("target/crash/server-1.log"));
        assertThat(count(db, "status = 'RUNNING'")).as("work was still in flight at the kill").isPositive();

        try (ChildJvm second = ChildJvm.start("server-2", RidleyCli.class, env, "server")) {
          second.awaitLine("Ridley listening", Duration.ofSeconds(60));
          await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
              .until(() -> count(db, "status <> 'RUNNING'") == PROCESSES);
          second.saveOutput(Path.of("target/crash/server-2.log"));
        }
      }
      assertThat(count(db, "true")).isEqualTo(PROCESSES);
      assertThat(count(db, "status = 'SUCCEEDED'")).isEqualTo(PROCESSES);
      // exactly one terminal event per process, and every attempt ended at most once
      assertThat(scalar(db, "select count(*) from journal_event where type = 'process.succeeded'")).isEqualTo(PROCESSES);
      assertThat(scalar(db, "select count(*) from (select task_id from journal_event where type in"
          + " ('task.completed','task.failed','task.timed_out') group by task_id having count(*) > 1) x")).isZero();
    } finally {
      first.close();
    }
  }

  static long count(HikariDataSource db, String where) throws Exception {
    return scalar(db, "select count(*) from process where " + where);
  }

  static long scalar(HikariDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
