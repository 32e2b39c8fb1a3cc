package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplayCancelApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  String failedProcess(String user) {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"user\":\"" + user + "\",\"payload\":{\"x\":1,\"y\":0}}")
        .json().path("process").path("id").asText();
    JsonNode t = server.http().claimTaskOf(id, "divide");
    server.http().post("/api/v1/tasks/" + t.path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"java.lang.ArithmeticException\",\"message\":\"/ by zero\"},\"retryable\":false}");
    JsonNode e = server.http().claimTaskOf(id, "errors");
    server.http().post("/api/v1/tasks/" + e.path("id").asText() + "/complete", "{}");
    assertThat(server.http().get("/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("FAILED");
    return id;
  }

  @Test
  void a_failed_process_is_replayed_over_http_and_running_ones_answer_409() {
    String id = failedProcess("r1");
    Http.Answer replay = server.http().post("/api/v1/processes/" + id + "/replay", "{\"fromStage\":\"divide\"}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("process").path("status").asText()).isEqualTo("RUNNING");
    assertThat(replay.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("divide");

    Http.Answer again = server.http().post("/api/v1/processes/" + id + "/replay", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().path("detail").asText()).contains("RUNNING");
  }

  @Test
  void a_failed_process_replays_where_its_failure_started_and_keeps_its_error() {
    String id = failedProcess("origin");
    JsonNode failed = server.http().get("/api/v1/processes/" + id).json();
    assertThat(failed.path("error").path("type").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(failed.path("lastSeen").path("stage").asText()).isEqualTo("errors");

    Http.Answer replay = server.http().post("/api/v1/processes/" + id + "/replay", "{}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("divide");
    assertThat(replay.json().path("process").path("error").path("message").asText()).isEqualTo("/ by zero");
    assertThat(server.http().claimTaskOf(id, "divide").path("payload").toString()).isEqualTo("{\"x\":1,\"y\":0}");
  }

  @Test
  void bulk_replay_takes_a_from_stage_which_needs_the_pipeline() {
    String a = failedProcess("bulk-from");
    String b = failedProcess("bulk-from");
    Http.Answer r = server.http().post("/api/v1/processes/replay",
        "{\"filter\":{\"pipeline\":\"divide\",\"user\":\"bulk-from\"},\"fromStage\":\"errors\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("replayed").asInt()).isEqualTo(2);
    for (String id : new String[] {a, b}) {
      assertThat(server.http().get("/api/v1/processes/" + id).json().path("lastSeen").path("stage").asText()).isEqualTo("errors");
    }
    Http.Answer noPipeline = server.http().post("/api/v1/processes/replay", "{\"filter\":{},\"fromStage\":\"errors\"}");
    assertThat(noPipeline.status()).isEqualTo(400);
    assertThat(noPipeline.json().path("detail").asText()).contains("pipeline");
    assertThat(server.http().post("/api/v1/processes/replay",
        "{\"filter\":{\"pipeline\":\"divide\"},\"fromStage\":\"nope\"}").status()).isEqualTo(400);
  }

  @Test
  void bulk_replay_answers_the_count() {
    failedProcess("bulk");
    failedProcess("bulk");
    Http.Answer a = server.http().post("/api/v1/processes/replay", "{\"filter\":{\"pipeline\":\"divide\",\"status\":\"FAILED\",\"stage\":\"errors\"}}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("replayed").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(server.http().post("/api/v1/processes/replay", "{}").status()).isEqualTo(400);
  }

  @Test
  void cancel_ends_a_running_process_and_a_second_cancel_is_409() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":5,\"y\":1}}")
        .json().path("process").path("id").asText();
    Http.Answer c = server.http().post("/api/v1/processes/" + id + "/cancel", "{\"reason\":\"test\"}");
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.json().path("process").path("status").asText()).isEqualTo("CANCELLED");
    assertThat(server.http().post("/api/v1/processes/" + id + "/cancel", "{}").status()).isEqualTo(409);
    JsonNode events = server.http().get("/api/v1/processes/" + id + "/events").json().path("events");
    assertThat(events.toString()).contains("process.cancelled");
  }
}
