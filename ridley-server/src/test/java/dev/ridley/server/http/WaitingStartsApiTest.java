package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ?waitMs} on a start waits for the process's end without re-reading it over and over. */
class WaitingStartsApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  static final String START = "/api/v1/pipelines/divide/processes";

  @Test
  void a_waiting_start_answers_promptly_once_its_process_ends() throws Exception {
    Http http = server.http();
    CompletableFuture<HttpResponse<String>> waiting = send(START + "?waitMs=30000",
        "{\"customId\":\"waits-1\",\"payload\":{\"x\":1,\"y\":2}}");
    String id = awaitProcess("waits-1");
    Thread.sleep(200);
    assertThat(waiting).isNotDone();

    JsonNode divide = http.claimTaskOf(id, "divide");
    http.post("/api/v1/tasks/" + divide.path("id").asText() + "/complete", "{\"output\":0.5}");
    JsonNode ocean = http.claimTaskOf(id, "ocean");
    http.post("/api/v1/tasks/" + ocean.path("id").asText() + "/complete", "{\"output\":0.5}");
    long ended = System.nanoTime();
    HttpResponse<String> answer = waiting.get(10, TimeUnit.SECONDS);

    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.body()).contains("\"status\":\"SUCCEEDED\"");
    assertThat(Duration.ofNanos(System.nanoTime() - ended)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void three_hundred_waiting_starts_do_not_raise_the_database_transaction_rate() throws Exception {
    Duration window = Duration.ofSeconds(3);
    long idle = commitsOver(window);
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    // failover, whose first stage has no in-flight limit, so the other test's claims are not held up
    for (int i = 0; i < 300; i++) {
      waiting.add(send("/api/v1/pipelines/failover/processes?waitMs=9000",
          "{\"customId\":\"many-" + i + "\",\"payload\":{\"x\":1}}"));
    }
    awaitProcesses(300);
    long busy = commitsOver(window);

    // Re-reading each waiting process every 20 ms, 300 waiting starts made about 15,000
    // transactions a second; woken by the end instead, they make one re-read a second in all. A
    // backend may report its counts up to 10 s late, so the starts' own transactions and first
    // reads (about one each) may still show in the window: allowed.
    assertThat(busy).as("transactions in %s with 300 waiting starts (%d without)", window, idle)
        .isLessThan(idle + 300 + 100);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    for (CompletableFuture<HttpResponse<String>> w : waiting) {
      HttpResponse<String> answer = w.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.body()).contains("\"status\":\"RUNNING\"");
    }
  }

  private static CompletableFuture<HttpResponse<String>> send(String path, String body) {
    return CLIENT.sendAsync(HttpRequest.newBuilder(server.uri().resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static String awaitProcess(String customId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonNode items = server.http().get("/api/v1/processes?customId=" + customId).json().path("items");
      if (!items.isEmpty()) return items.get(0).path("id").asText();
      Thread.sleep(50);
    }
    throw new AssertionError("process " + customId + " was not started");
  }

  private static void awaitProcesses(int n) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (count("select count(*) from process where custom_id like 'many-%'") >= n) {
        // every waiter has made its first read, and the starts' commits are in the statistics
        // (a backend reports them at most once a second)
        Thread.sleep(1500);
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the starts did not arrive");
  }

  private static long commitsOver(Duration window) throws Exception {
    long before = count("select xact_commit from pg_stat_database where datname = current_database()");
    Thread.sleep(window.toMillis());
    return count("select xact_commit from pg_stat_database where datname = current_database()") - before;
  }

  private static long count(String sql) throws Exception {
    try (Connection c = server.server().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
