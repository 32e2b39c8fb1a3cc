package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.server.cli.RidleyCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code ridley server}: waiting long polls answer at once with no tasks, the node
 * stops its parts and its embedded PostgreSQL cleanly, and exits 0 with nothing alarming logged.
 */
class GracefulShutdownTest {

  @Test
  void sigterm_answers_waiting_polls_stops_postgres_cleanly_and_exits_0(@TempDir Path dir) throws Exception {
    Map<String, String> env = EmbeddedDatabaseCrashTest.env(dir);
    URI uri = URI.create("http://127.0.0.1:" + env.get("RIDLEY_HTTP_PORT"));
    Path pgData = dir.resolve("data/postgres");
    // Output to a file: read through a pipe, the lines printed just before the exit were at times
    // missing from what the test saw.
    try (ChildJvm server = ChildJvm.startToFile("graceful", dir.resolve("server.out"), RidleyCli.class, env, "server");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      server.awaitLine("Ridley listening", Duration.ofSeconds(120));
      long postmaster = EmbeddedDatabaseCrashTest.postmasterPid(pgData);

      HttpRequest poll = HttpRequest.newBuilder(uri.resolve("/api/v1/tasks/poll"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"worker\":\"w\",\"stages\":[\"first\"],\"max\":1,\"waitMs\":30000}"))
          .build();
      CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(1_000); // the poll is waiting on the server by now
      assertThat(waiting).isNotDone();

      long t0 = System.nanoTime();
      Thread.ofPlatform().daemon().start(() -> {
        try {
          server.terminate(Duration.ofSeconds(60));
        } catch (InterruptedException ignored) {
          // the assertions below see the outcome
        }
      });
      HttpResponse<String> answered = waiting.get(10, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(answered.body()).path("tasks")).isEmpty();
      assertThat(took).as("the waiting poll answered promptly").isLessThan(Duration.ofSeconds(5));

      int exit = server.terminate(Duration.ofSeconds(60));
      assertThat(exit).as("exit code; output:\n%s", server.output()).isZero();
      assertThat(server.output().lines())
          .as("log lines at WARN or ERROR")
          .noneMatch(l -> l.contains("\"level\":\"WARN\"") || l.contains("\"level\":\"ERROR\""));
      assertThat(server.output()).contains("Ridley stopped");
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
          .as("the embedded postmaster is gone").isFalse();
      assertThat(Files.exists(pgData.resolve("postmaster.pid"))).as("postmaster.pid removed: a clean stop").isFalse();
    }
  }
}
