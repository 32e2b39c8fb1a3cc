package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyWorker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real, external PostgreSQL 15 restarted with {@code pg_ctl restart -m immediate} (a crash:
 * no checkpoint, WAL replay at start) under load. Every start that was acknowledged exists and
 * ends exactly once.
 */
class ExternalPostgresRestartTest {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  @Test
  void an_immediate_restart_of_postgres_under_load_loses_no_acknowledged_process() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ridley-pg-");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("flow.yaml"), """
        name: flow
        stages:
          first:  {timeouts: {pollToEnd: 3s}, retry: {attempts: 20, backoff: 100ms}}
          second: {timeouts: {pollToEnd: 3s}, retry: {attempts: 20, backoff: 100ms}}
        routes:
          - first.ok -> second
        """);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("data");
    run("chmod", "755", dir.toString());
    run("chown", "postgres", dir.toString());
    asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres");
    List<String> pgCtl = List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
        "-l", dir.resolve("postgres.log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1");
    asPostgres(with(pgCtl, "start"));
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean starting = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setDbUrl(url).setDbUser("postgres")
            .setPipelines(pipelines).setSweepInterval(Duration.ofMillis(200)).build());
        RidleyWorker workers = RidleyWorker.builder(server.uri()).workerId("steady").concurrency(8)
            .pollWait(Duration.ofMillis(500))
            .handle("first", t -> t.input()).handle("second", t -> t.input())
            .build().start();
        HikariDataSource db = TestDatabase.pool(url)) {
      Http http = new Http(server.uri());
      List<Thread> load = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        load.add(Thread.ofVirtual().start(() -> {
          while (starting.get()) {
            String key = "k-" + next.getAndIncrement();
            try {
              int status = http.post("/api/v1/pipelines/flow/processes",
                  "{\"customId\":\"" + key + "\",\"payload\":{\"k\":\"" + key + "\"}}").status();
              if (status == 201 || status == 200) acknowledged.add(key);
            } catch (RuntimeException e) {
              // not acknowledged: the client knows
            }
          }
        }));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 200);
      asPostgres(with(pgCtl, "restart", "-m", "immediate"));
      int before = acknowledged.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 200);
      starting.set(false);
      for (Thread t : load) t.join();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> scalar(db, "select count(*) from process where status = 'RUNNING'") == 0);
      List<String> missing = new ArrayList<>();
      try (Connection c = db.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select custom_id from process where status = 'SUCCEEDED'")) {
        List<String> done = new ArrayList<>();
        while (rs.next()) done.add(rs.getString(1));
        for (String k : acknowledged) if (!done.contains(k)) missing.add(k);
      }
      assertThat(missing).as("acknowledged starts that did not succeed").isEmpty();
      Accounting.assertEveryProcessAccountedFor(sql -> scalar(db, sql), true);
    } finally {
      try {
        asPostgres(with(pgCtl, "stop", "-m", "immediate"));
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  static List<String> with(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  /** Runs a PostgreSQL tool as the postgres user (PostgreSQL refuses to run as root). */
  static void asPostgres(String... cmd) throws Exception {
    asPostgres(List.of(cmd));
  }

  static void asPostgres(List<String> cmd) throws Exception {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(cmd);
    run(full.toArray(String[]::new));
  }

  static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new AssertionError("could not run " + String.join(" ", cmd) + " (exit " + rc + "): the test needs"
          + " PostgreSQL 15 in " + BIN + " and the postgres user; output:\n" + out);
    }
  }

  static long scalar(HikariDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
