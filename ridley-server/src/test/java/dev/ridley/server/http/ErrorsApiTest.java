package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import dev.ridley.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input gets a clear application/problem+json answer and loses nothing. */
class ErrorsApiTest {

  @RegisterExtension
  static final RunningServer server = new RunningServer(() -> TestServers.config().toBuilder().setMaxPayloadBytes(1024 * 1024).build());

  static void assertProblem(Http.Answer a, int status, String detailPart) {
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.contentType()).startsWith("application/problem+json");
    assertThat(a.json().path("status").asInt()).isEqualTo(status);
    assertThat(a.json().path("detail").asText()).containsIgnoringCase(detailPart);
  }

  @Test
  void malformed_json_is_400_and_says_where() {
    assertProblem(server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\": {\"x\": 1,"), 400, "not valid JSON");
  }

  @Test
  void a_start_without_payload_is_400() {
    assertProblem(server.http().post("/api/v1/pipelines/divide/processes", "{\"customId\":\"x\"}"), 400, "payload");
  }

  @Test
  void an_unknown_pipeline_is_404_and_names_the_loaded_ones() {
    assertProblem(server.http().post("/api/v1/pipelines/nope/processes", "{\"payload\":{}}"), 404, "divide");
    assertProblem(server.http().get("/api/v1/pipelines/nope"), 404, "nope");
  }

  @Test
  void a_payload_over_the_limit_is_413_and_creates_nothing() {
    String big = "{\"user\":\"big\",\"payload\":\"" + "a".repeat(1024 * 1024 + 10) + "\"}";
    assertProblem(server.http().post("/api/v1/pipelines/divide/processes", big), 413, "limit");
    assertThat(server.http().get("/api/v1/processes?user=big").json().path("items")).isEmpty();
  }

  @Test
  void an_unknown_process_is_404_and_a_malformed_id_is_400() {
    assertProblem(server.http().get("/api/v1/processes/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a"), 404, "no process");
    assertProblem(server.http().get("/api/v1/processes/not-a-uuid"), 400, "not a process id");
    assertProblem(server.http().get("/api/v1/processes/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a/events"), 404, "no process");
  }

  @Test
  void an_unknown_task_is_404_and_a_malformed_task_id_is_400() {
    assertProblem(server.http().post("/api/v1/tasks/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a/complete", "{}"), 404, "no task");
    assertProblem(server.http().post("/api/v1/tasks/xyz/complete", "{}"), 400, "not a task id");
    assertProblem(server.http().post("/api/v1/tasks/xyz/heartbeat", "{}"), 400, "not a task id");
  }

  @Test
  void bad_search_parameters_are_400() {
    assertProblem(server.http().get("/api/v1/processes?status=DONE"), 400, "RUNNING");
    assertProblem(server.http().get("/api/v1/processes?seenBefore=yesterday"), 400, "duration");
    assertProblem(server.http().get("/api/v1/processes?limit=-1"), 400, "limit");
  }

  @Test
  void a_poll_without_stages_or_for_an_unknown_stage_is_400() {
    assertProblem(server.http().post("/api/v1/tasks/poll", "{\"worker\":\"w\"}"), 400, "stages");
    assertProblem(server.http().post("/api/v1/tasks/poll", "{\"worker\":\"w\",\"stages\":[\"dvide\"]}"), 400, "unknown stage");
  }

  @Test
  void a_fail_without_an_error_type_is_400() {
    assertProblem(server.http().post("/api/v1/tasks/0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a/fail", "{\"error\":{}}"), 400, "type");
  }
}
