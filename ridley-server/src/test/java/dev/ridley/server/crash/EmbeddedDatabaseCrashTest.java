package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.server.cli.RidleyCli;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of {@code ridley server}, run as an operator would: durable settings,
 * and a server killed with SIGKILL restarts on the same data directory on the first try.
 */
class EmbeddedDatabaseCrashTest {

  @Test
  void a_sigkilled_server_leaves_no_postgres_behind_and_restarts_with_every_acknowledged_start(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = env(dir);
    URI uri = URI.create("http://127.0.0.1:" + env.get("RIDLEY_HTTP_PORT"));
    Path pgData = dir.resolve("data/postgres");
    List<UUID> started = new ArrayList<>();
    long postmaster;
    try (ChildJvm first = ChildJvm.start("embedded-1", RidleyCli.class, env, "server")) {
      first.awaitLine("Ridley listening", Duration.ofSeconds(120));
      try (RidleyClient client = RidleyClient.create(uri)) {
        for (int i = 0; i < 50; i++) {
          started.add(client.start("flow", StartRequest.of(Map.of("i", i))).process().id());
        }
      }
      postmaster = postmasterPid(pgData);
      assertThat(settings(pgData)).containsExactly("on", "on", "on");
      first.kill();
    }
    await("the embedded PostgreSQL stops after its server died").atMost(Duration.ofSeconds(12))
        .until(() -> ProcessHandle.of(postmaster).map(h -> !h.isAlive()).orElse(true));

    try (ChildJvm second = ChildJvm.start("embedded-2", RidleyCli.class, env, "server")) {
      second.awaitLine("Ridley listening", Duration.ofSeconds(30));
      try (RidleyClient client = RidleyClient.create(uri)) {
        for (UUID id : started) {
          Optional<ProcessInfo> p = client.get(id);
          assertThat(p).as("process %s after the restart", id).isPresent();
        }
      }
    }
  }

  @Test
  void a_postgres_left_running_by_a_dead_server_is_stopped_by_the_next_start(@TempDir Path dir) throws Exception {
    Map<String, String> env = env(dir);
    Path pgData = dir.resolve("data/postgres");
    long postmaster;
    try (ChildJvm first = ChildJvm.start("orphan-1", RidleyCli.class, env, "server")) {
      first.awaitLine("Ridley listening", Duration.ofSeconds(120));
      postmaster = postmasterPid(pgData);
      // The whole machine's worst case: the server and its watchdog both gone at once.
      long jvm = first.pid();
      first.kill();
      ProcessHandle.allProcesses()
          .filter(h -> h.info().arguments().map(a -> List.of(a).contains(Long.toString(jvm))).orElse(false))
          .forEach(ProcessHandle::destroyForcibly);
    }
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("orphaned postmaster").contains(true);

    try (ChildJvm second = ChildJvm.start("orphan-2", RidleyCli.class, env, "server")) {
      second.awaitLine("Ridley listening", Duration.ofSeconds(30));
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(postmasterPid(pgData)).isNotEqualTo(postmaster);
    }
  }

  @Test
  void a_postgres_killed_under_load_is_started_again_and_every_acknowledged_start_ends_once(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = env(dir);
    URI uri = URI.create("http://127.0.0.1:" + env.get("RIDLEY_HTTP_PORT"));
    Path pgData = dir.resolve("data/postgres");
    HttpClient http = HttpClient.newHttpClient();
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean starting = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    try (ChildJvm server = ChildJvm.start("pg-killed", RidleyCli.class, env, "server")) {
      server.awaitLine("Ridley listening", Duration.ofSeconds(120));
      try (RidleyClient client = RidleyClient.builder(uri).requestTimeout(Duration.ofSeconds(10)).build();
          RidleyWorker workers = RidleyWorker.builder(uri).workerId("steady").concurrency(8)
              .pollWait(Duration.ofMillis(500)).handle("first", t -> t.input()).build().start()) {
        List<Thread> load = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
          load.add(Thread.ofVirtual().start(() -> {
            while (starting.get()) {
              String key = "k-" + next.getAndIncrement();
              try {
                client.start("flow", StartRequest.of(Map.of("k", key)).withCustomId(key));
                acknowledged.add(key);
              } catch (RuntimeException e) {
                // not acknowledged: the client knows, and may retry with the same customId
              }
            }
          }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 100);
        long postmaster = postmasterPid(pgData);

        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

        try {
          await("health is back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
              .until(() -> health(http, uri) == 200);
        } finally {
          server.saveOutput(Path.of("target/crash/pg-killed.log"));
        }
        assertThat(postmasterPid(pgData)).isNotEqualTo(postmaster);
        int before = acknowledged.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 100);
        starting.set(false);
        for (Thread t : load) t.join();
        await("every acknowledged process ended").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> count(pgData, "select count(*) from process where status = 'RUNNING'") == 0);
      }
      assertThat(server.output()).contains("exited while the server runs");
      List<String> succeeded = strings(pgData, "select custom_id from process where status = 'SUCCEEDED'");
      assertThat(acknowledged).as("acknowledged starts that did not succeed").allMatch(succeeded::contains);
      Accounting.assertEveryProcessAccountedFor(sql -> count(pgData, sql), true);
    }
  }

  static Connection connect(Path pgData) throws Exception {
    String port = Files.readAllLines(pgData.resolve("postmaster.pid")).get(3).trim();
    // The embedded database asks for its superuser's password, kept beside the cluster.
    String password = Files.readString(pgData.resolveSibling("postgres.password")).trim();
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  static long count(Path pgData, String sql) throws Exception {
    try (Connection c = connect(pgData); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<String> strings(Path pgData, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(pgData); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  static int health(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri.resolve("/health")).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static Map<String, String> env(Path dir) throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("flow.yaml"), """
        name: flow
        stages:
          first: {}
        """);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return Map.of(
        "RIDLEY_DATA_DIR", dir.resolve("data").toString(),
        "RIDLEY_HTTP_PORT", Integer.toString(port),
        "RIDLEY_PIPELINES", pipelines.toString());
  }

  /** The postmaster's pid, first line of its pid file. */
  static long postmasterPid(Path pgData) throws Exception {
    return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().trim());
  }

  /** fsync, synchronous_commit and full_page_writes of the running embedded PostgreSQL. */
  static List<String> settings(Path pgData) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(pgData); Statement s = c.createStatement()) {
      for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("show " + name)) {
          rs.next();
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
