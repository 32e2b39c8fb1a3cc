package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.server.cli.RidleyCli;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.RidleyClient;
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
  void a_postgres_killed_under_a_running_server_is_started_again_and_health_recovers(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = env(dir);
    URI uri = URI.create("http://127.0.0.1:" + env.get("RIDLEY_HTTP_PORT"));
    Path pgData = dir.resolve("data/postgres");
    HttpClient http = HttpClient.newHttpClient();
    try (ChildJvm server = ChildJvm.start("pg-killed", RidleyCli.class, env, "server");
        RidleyClient client = RidleyClient.create(uri)) {
      server.awaitLine("Ridley listening", Duration.ofSeconds(120));
      UUID before = client.start("flow", StartRequest.of(Map.of("n", 1))).process().id();
      long postmaster = postmasterPid(pgData);

      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

      try {
        await("health is back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> health(http, uri) == 200);
      } finally {
        server.saveOutput(Path.of("target/crash/pg-killed.log"));
      }
      assertThat(postmasterPid(pgData)).isNotEqualTo(postmaster);
      assertThat(client.get(before)).isPresent();
      UUID after = client.start("flow", StartRequest.of(Map.of("n", 2))).process().id();
      assertThat(client.get(after)).isPresent();
      assertThat(server.output()).contains("exited while the server runs");
    }
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
    String port = Files.readAllLines(pgData.resolve("postmaster.pid")).get(3).trim();
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
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
