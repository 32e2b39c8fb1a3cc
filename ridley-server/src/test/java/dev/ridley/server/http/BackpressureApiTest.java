package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pause, resume, the line of a stage and who polls it, over HTTP. */
class BackpressureApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  static JsonNode stage(JsonNode pipeline, String name) {
    for (JsonNode s : pipeline.path("stages")) {
      if (s.path("name").asText().equals(name)) return s;
    }
    throw new AssertionError("no stage " + name + " in " + pipeline);
  }

  JsonNode poll(String worker, String stage) {
    return server.http().post("/api/v1/tasks/poll", "{\"worker\":\"" + worker + "\",\"stages\":[\"" + stage + "\"],\"max\":10}")
        .json().path("tasks");
  }

  @Test
  void a_paused_stage_holds_its_tasks_in_line_and_resume_lets_workers_take_them() {
    Http.Answer paused = server.http().post("/api/v1/pipelines/divide/pause", "{\"stage\":\"errors\"}");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(stage(paused.json(), "errors").path("paused").asBoolean()).isTrue();
    assertThat(stage(paused.json(), "divide").path("paused").asBoolean()).isFalse();
    assertThat(paused.json().path("paused").asBoolean()).isFalse();

    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":0}}")
        .json().path("process").path("id").asText();
    JsonNode divide = poll("w-1", "divide").get(0);
    server.http().post("/api/v1/tasks/" + divide.path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"java.lang.ArithmeticException\"},\"retryable\":false}");
    assertThat(poll("w-1", "errors")).isEmpty();

    JsonNode next = server.http().get("/api/v1/pipelines/divide/stages/errors/next?limit=5").json().path("tasks");
    assertThat(next).hasSize(1);
    assertThat(next.get(0).path("processId").asText()).isEqualTo(id);
    assertThat(next.get(0).path("status").asText()).isEqualTo("QUEUED");
    JsonNode view = server.http().get("/api/v1/pipelines/divide").json();
    assertThat(stage(view, "errors").path("counts").path("queued").asInt()).isEqualTo(1);

    Http.Answer resumed = server.http().post("/api/v1/pipelines/divide/resume", "{\"stage\":\"errors\"}");
    assertThat(stage(resumed.json(), "errors").path("paused").asBoolean()).isFalse();
    assertThat(poll("w-1", "errors")).hasSize(1);
  }

  @Test
  void pausing_the_whole_pipeline_still_accepts_starts_and_shows_on_the_pipeline() {
    Http.Answer paused = server.http().post("/api/v1/pipelines/divide/pause", "");
    assertThat(paused.json().path("paused").asBoolean()).isTrue();
    assertThat(server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":1}}").status()).isEqualTo(201);
    assertThat(poll("w-2", "divide")).isEmpty();
    assertThat(server.http().get("/api/v1/pipelines").json().path("items").get(0).path("paused").asBoolean()).isTrue();

    Http.Answer resumed = server.http().post("/api/v1/pipelines/divide/resume", "{}");
    assertThat(resumed.json().path("paused").asBoolean()).isFalse();
    assertThat(poll("w-2", "divide")).isNotEmpty();
  }

  @Test
  void each_stage_lists_the_workers_that_polled_it_lately() {
    poll("lister-a", "ocean");
    poll("lister-b", "ocean");
    JsonNode ocean = stage(server.http().get("/api/v1/pipelines/divide").json(), "ocean");
    assertThat(ocean.path("workers").findValuesAsText("id")).contains("lister-a", "lister-b");
    assertThat(ocean.path("workers").get(0).path("lastPollAt").asText()).isNotBlank();
    assertThat(ocean.has("oldestQueuedMs")).isTrue();
    assertThat(ocean.path("maxInFlight").asInt()).isZero();
  }

  @Test
  void bad_pause_and_next_requests_are_answered_with_problems() {
    Http.Answer unknownStage = server.http().post("/api/v1/pipelines/divide/pause", "{\"stage\":\"nope\"}");
    assertThat(unknownStage.status()).isEqualTo(400);
    assertThat(unknownStage.json().path("detail").asText()).contains("ocean");
    assertThat(server.http().post("/api/v1/pipelines/nope/pause", "{}").status()).isEqualTo(404);
    assertThat(server.http().get("/api/v1/pipelines/divide/stages/nope/next").status()).isEqualTo(404);
    assertThat(server.http().get("/api/v1/pipelines/divide/stages/divide/next?limit=x").status()).isEqualTo(400);
    assertThat(server.http().get("/api/v1/pipelines/divide/stages/divide/next?limit=0").status()).isEqualTo(400);
  }
}
