package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import dev.ridley.server.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server with RIDLEY_RETENTION=3s forgets ended processes by itself, everywhere at once. */
class RetentionApiTest {

  static final Duration RETENTION = Duration.ofSeconds(3);

  @RegisterExtension
  static final RunningServer server =
      new RunningServer(() -> TestServers.config().toBuilder().setRetention(RETENTION).build());

  @Test
  void ended_processes_past_the_retention_answer_404_and_leave_the_search_and_the_counts() throws Exception {
    Http http = server.http();
    String succeeded = start(http);
    complete(http, succeeded, "divide", "2");
    complete(http, succeeded, "ocean", "2");
    String cancelled = start(http);
    assertThat(http.post("/api/v1/processes/" + cancelled + "/cancel", "{}").status()).isEqualTo(200);
    String running = start(http);

    assertThat(status(http, succeeded)).isEqualTo("SUCCEEDED");
    assertThat(status(http, cancelled)).isEqualTo("CANCELLED");
    assertThat(found(http)).containsExactlyInAnyOrder(succeeded, cancelled, running);
    JsonNode before = counts(http, "ocean");
    assertThat(before.path("succeeded").asLong()).isEqualTo(1);

    // The sweeper deletes them in the background once they ended more than 3 s ago.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (http.get("/api/v1/processes/" + succeeded).status() != 404
        || http.get("/api/v1/processes/" + cancelled).status() != 404) {
      assertThat(System.nanoTime()).as("ended processes deleted within 20 s").isLessThan(deadline);
      Thread.sleep(200);
    }

    for (String id : List.of(succeeded, cancelled)) {
      assertThat(http.get("/api/v1/processes/" + id + "/events").status()).isEqualTo(404);
      assertThat(http.get("/api/v1/processes/" + id + "/tree").status()).isEqualTo(404);
    }
    assertThat(status(http, running)).isEqualTo("RUNNING");
    assertThat(found(http)).containsExactly(running);
    assertThat(counts(http, "ocean").path("succeeded").asLong()).isZero();
    assertThat(counts(http, "divide").path("cancelled").asLong()).isZero();
    assertThat(counts(http, "divide").path("queued").asLong()).isEqualTo(1);
  }

  private static String start(Http http) {
    Http.Answer a = http.post("/api/v1/pipelines/divide/processes",
        "{\"user\":\"retention\",\"payload\":{\"x\":4,\"y\":2}}");
    assertThat(a.status()).isEqualTo(201);
    return a.json().path("process").path("id").asText();
  }

  private static void complete(Http http, String process, String stage, String output) {
    JsonNode task = http.claimTaskOf(process, stage);
    Http.Answer a = http.post("/api/v1/tasks/" + task.path("id").asText() + "/complete",
        "{\"outcome\":\"ok\",\"output\":" + output + "}");
    assertThat(a.status()).isEqualTo(200);
  }

  private static String status(Http http, String id) {
    return http.get("/api/v1/processes/" + id).json().path("status").asText();
  }

  private static List<String> found(Http http) {
    List<String> ids = new ArrayList<>();
    http.get("/api/v1/processes?pipeline=divide&user=retention").json().path("items")
        .forEach(p -> ids.add(p.path("id").asText()));
    return ids;
  }

  private static JsonNode counts(Http http, String stage) {
    for (JsonNode s : http.get("/api/v1/pipelines/divide").json().path("stages")) {
      if (s.path("name").asText().equals(stage)) return s.path("counts");
    }
    throw new AssertionError("no stage " + stage);
  }
}
