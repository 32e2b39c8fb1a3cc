package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker protocol over real HTTP, as a worker in any language would speak it. */
class WorkerProtocolTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  JsonNode pollOne(String processId, String stage) {
    return server.http().claimTaskOf(processId, stage);
  }

  @Test
  void a_poll_with_nothing_to_do_answers_an_empty_list_after_wait_ms() {
    long t0 = System.nanoTime();
    Http.Answer a = server.http().post("/api/v1/tasks/poll", "{\"worker\":\"w-1\",\"stages\":[\"errors\"],\"max\":5,\"waitMs\":300}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("tasks")).isEmpty();
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
  }

  @Test
  void divide_flows_through_poll_heartbeat_and_complete_and_the_next_stage_gets_the_output() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":2}}")
        .json().path("process").path("id").asText();
    JsonNode task = pollOne(id, "divide");
    assertThat(task.path("processId").asText()).isEqualTo(id);
    assertThat(task.path("stage").asText()).isEqualTo("divide");
    assertThat(task.path("attempt").asInt()).isEqualTo(1);
    assertThat(task.path("payload").path("x").asInt()).isEqualTo(1);
    assertThat(task.path("traceId").asText()).startsWith(id + "@/");

    Http.Answer hb = server.http().post("/api/v1/tasks/" + task.path("id").asText() + "/heartbeat", "{}");
    assertThat(hb.status()).isEqualTo(200);

    Http.Answer done = server.http().post("/api/v1/tasks/" + task.path("id").asText() + "/complete", "{\"output\":0.5}");
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("ocean");

    JsonNode ocean = pollOne(id, "ocean");
    assertThat(ocean.path("payload").asDouble()).isEqualTo(0.5);
    server.http().post("/api/v1/tasks/" + ocean.path("id").asText() + "/complete", "{\"outcome\":\"ok\",\"output\":0.5}");

    JsonNode p = server.http().get("/api/v1/processes/" + id).json();
    assertThat(p.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(p.path("output").asDouble()).isEqualTo(0.5);
    assertThat(p.path("lastSeen").path("stage").asText()).isEqualTo("ocean");
  }

  @Test
  void a_failure_is_routed_and_the_process_fails_with_the_error() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":0}}")
        .json().path("process").path("id").asText();
    JsonNode task = pollOne(id, "divide");
    Http.Answer failed = server.http().post("/api/v1/tasks/" + task.path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"java.lang.ArithmeticException\",\"message\":\"division by zero\"},\"retryable\":false}");
    assertThat(failed.status()).isEqualTo(200);
    JsonNode errors = pollOne(id, "errors");
    server.http().post("/api/v1/tasks/" + errors.path("id").asText() + "/complete", "{}");

    JsonNode p = server.http().get("/api/v1/processes/" + id).json();
    assertThat(p.path("status").asText()).isEqualTo("FAILED");
    assertThat(p.path("error").path("type").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(p.path("error").path("message").asText()).contains("division by zero");
  }

  @Test
  void a_result_or_heartbeat_for_an_attempt_that_is_not_current_is_409_and_changes_nothing() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":6,\"y\":3}}")
        .json().path("process").path("id").asText();
    JsonNode task = pollOne(id, "divide");
    String taskId = task.path("id").asText();
    server.http().post("/api/v1/tasks/" + taskId + "/complete", "{\"output\":2}");
    int events = server.http().get("/api/v1/processes/" + id + "/events").json().path("events").size();

    for (String call : new String[] {"complete", "fail", "heartbeat"}) {
      Http.Answer a = server.http().post("/api/v1/tasks/" + taskId + "/" + call,
          switch (call) {
            case "fail" -> "{\"error\":{\"type\":\"Late\"}}";
            case "heartbeat" -> "{}";
            default -> "{\"output\":99}";
          });
      assertThat(a.status()).as(call).isEqualTo(409);
      assertThat(a.contentType()).startsWith("application/problem+json");
      assertThat(a.json().path("detail").asText()).contains("no longer current");
    }
    assertThat(server.http().get("/api/v1/processes/" + id + "/events").json().path("events").size()).isEqualTo(events);
    assertThat(server.http().get("/api/v1/processes/" + id).json().path("lastSeen").path("stage").asText()).isEqualTo("ocean");
  }
}
