package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplayCancelApiTest {

  static RidleyServer server;
  static Http http;

  @BeforeAll
  static void start() {
    server = TestServers.start();
    http = new Http(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  String failedProcess(String user) {
    String id = http.post("/api/v1/pipelines/divide/processes", "{\"user\":\"" + user + "\",\"payload\":{\"x\":1,\"y\":0}}")
        .json().path("process").path("id").asText();
    JsonNode t = http.claimTaskOf(id, "divide");
    http.post("/api/v1/tasks/" + t.path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"java.lang.ArithmeticException\",\"message\":\"/ by zero\"},\"retryable\":false}");
    JsonNode e = http.claimTaskOf(id, "errors");
    http.post("/api/v1/tasks/" + e.path("id").asText() + "/complete", "{}");
    assertThat(http.get("/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("FAILED");
    return id;
  }

  @Test
  void a_failed_process_is_replayed_over_http_and_running_ones_answer_409() {
    String id = failedProcess("r1");
    Http.Answer replay = http.post("/api/v1/processes/" + id + "/replay", "{\"fromStage\":\"divide\"}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("process").path("status").asText()).isEqualTo("RUNNING");
    assertThat(replay.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("divide");

    Http.Answer again = http.post("/api/v1/processes/" + id + "/replay", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().path("detail").asText()).contains("RUNNING");
  }

  @Test
  void bulk_replay_answers_the_count() {
    failedProcess("bulk");
    failedProcess("bulk");
    Http.Answer a = http.post("/api/v1/processes/replay", "{\"filter\":{\"pipeline\":\"divide\",\"status\":\"FAILED\",\"stage\":\"errors\"}}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("replayed").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(http.post("/api/v1/processes/replay", "{}").status()).isEqualTo(400);
  }

  @Test
  void cancel_ends_a_running_process_and_a_second_cancel_is_409() {
    String id = http.post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":5,\"y\":1}}")
        .json().path("process").path("id").asText();
    Http.Answer c = http.post("/api/v1/processes/" + id + "/cancel", "{\"reason\":\"test\"}");
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.json().path("process").path("status").asText()).isEqualTo("CANCELLED");
    assertThat(http.post("/api/v1/processes/" + id + "/cancel", "{}").status()).isEqualTo(409);
    JsonNode events = http.get("/api/v1/processes/" + id + "/events").json().path("events");
    assertThat(events.toString()).contains("process.cancelled");
  }
}
