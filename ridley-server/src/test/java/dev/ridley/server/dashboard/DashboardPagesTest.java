package dev.ridley.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's files and aggregate API over plain HTTP: fast checks that need no browser. */
class DashboardPagesTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  @Test
  void the_pages_are_html_from_the_jar_with_a_same_origin_content_security_policy() {
    for (String page :
        List.of("/", "/processes", "/processes/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a")) {
      HttpRequest req = HttpRequest.newBuilder(server.uri().resolve(page)).GET().build();
      Http.Answer a = server.http().send(req);
      assertThat(a.status()).as(page).isEqualTo(200);
      assertThat(a.contentType()).as(page).startsWith("text/html");
      assertThat(a.text()).as(page).contains("<script type=\"module\" src=\"/assets/");
    }
    assertThat(headers("/").firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'");
  }

  @Test
  void every_file_the_pages_load_is_served_with_its_type() {
    Set<String> seen = new HashSet<>();
    Deque<String> todo =
        new ArrayDeque<>(
            List.of("/", "/processes", "/processes/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a"));
    Pattern ref = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"|from '\\./([a-z0-9-]+\\.js)'");
    while (!todo.isEmpty()) {
      String path = todo.pop();
      Http.Answer a = server.http().get(path);
      assertThat(a.status()).as(path).isEqualTo(200);
      if (path.endsWith(".js")) assertThat(a.contentType()).as(path).startsWith("text/javascript");
      if (path.endsWith(".css")) assertThat(a.contentType()).as(path).startsWith("text/css");
      if (path.endsWith(".svg")) assertThat(a.contentType()).as(path).startsWith("image/svg+xml");
      Matcher m = ref.matcher(a.text());
      while (m.find()) {
        String next = m.group(1) != null ? m.group(1) : "/assets/" + m.group(2);
        if (seen.add(next)) todo.add(next);
      }
    }
    assertThat(seen)
        .contains(
            "/assets/ridley.css",
            "/assets/ridley.js",
            "/assets/overview.js",
            "/assets/process.js",
            "/assets/processes.js",
            "/assets/tree.js",
            "/assets/timeline.js",
            "/assets/chart.js",
            "/assets/favicon.svg");
  }

  @Test
  void an_unchanged_file_is_answered_304_by_its_etag() {
    String etag = headers("/assets/ridley.js").firstValue("ETag").orElseThrow();
    Http.Answer again =
        server.http().send(
            HttpRequest.newBuilder(server.uri().resolve("/assets/ridley.js"))
                .header("If-None-Match", etag)
                .GET()
                .build());
    assertThat(again.status()).isEqualTo(304);
  }

  @Test
  void unknown_or_unsafe_file_names_answer_404() {
    for (String path :
        List.of(
            "/assets/nope.js",
            "/assets/..%2F..%2Flogback.xml",
            "/assets/Overview.html",
            "/assets/logback.xml")) {
      assertThat(server.http().get(path).status()).as(path).isEqualTo(404);
    }
  }

  @Test
  void throughput_counts_finished_attempts_per_minute_for_every_pipeline() {
    server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\": {\"x\": 1, \"y\": 2}}");
    JsonNode task =
        server.http().post(
                "/api/v1/tasks/poll",
                "{\"worker\": \"t\", \"stages\": [\"divide\"], \"waitMs\": 5000}")
            .json()
            .path("tasks")
            .get(0);
    server.http().post("/api/v1/tasks/" + task.path("id").asText() + "/complete", "{\"output\": 0.5}");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonNode t = server.http().get("/api/v1/throughput?minutes=5").json();
              assertThat(t.path("bucketSeconds").asInt()).isEqualTo(60);
              JsonNode divide = t.path("pipelines").get(0);
              assertThat(divide.path("name").asText()).isEqualTo("divide");
              JsonNode buckets = divide.path("buckets");
              assertThat(buckets).hasSize(5);
              long succeeded = 0;
              for (JsonNode b : buckets) succeeded += b.path("succeeded").asLong();
              assertThat(succeeded).isEqualTo(1);
              assertThat(buckets.get(4).path("at").asText()).isNotBlank();
            });
  }

  @Test
  void throughput_answers_a_problem_for_a_bad_window_or_an_unknown_pipeline() {
    Http.Answer bad = server.http().get("/api/v1/throughput?minutes=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.json().path("detail").asText()).contains("minutes=0").contains("1 to 180");
    assertThat(server.http().get("/api/v1/throughput?pipeline=nope").status()).isEqualTo(404);
  }

  private static HttpHeaders headers(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .headers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
