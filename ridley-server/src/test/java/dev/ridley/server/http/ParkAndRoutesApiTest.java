package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named outcomes and parks over HTTP: routed, listed, replayable by hand. */
class ParkAndRoutesApiTest {

  static final String CHECK =
      """
      name: check
      stages:
        check: {}
        fix: {}
        ship: {}
      routes:
        - check.ok -> ship
        - check.invalid -> fix
        - fix.failed -> @park(to=check)
      """;

  @TempDir static Path pipelines;
  static RidleyServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(pipelines.resolve("check.yaml"), CHECK);
    server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(pipelines).build());
    http = new Http(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  JsonNode pollOne(String stage) {
    JsonNode tasks = http.post("/api/v1/tasks/poll", "{\"worker\":\"w\",\"stages\":[\"" + stage + "\"],\"waitMs\":2000}")
        .json().path("tasks");
    assertThat(tasks).as("a task at %s", stage).hasSize(1);
    return tasks.get(0);
  }

  String start(String payload) {
    return http.post("/api/v1/pipelines/check/processes", "{\"payload\":" + payload + "}")
        .json().path("process").path("id").asText();
  }

  @Test
  void a_named_outcome_is_routed_and_its_output_is_the_next_stages_payload() {
    String id = start("{\"qty\":-1}");
    Http.Answer a = http.post("/api/v1/tasks/" + pollOne("check").path("id").asText() + "/complete",
        "{\"outcome\":\"invalid\",\"output\":{\"why\":\"negative quantity\"}}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("task").path("outcome").asText()).isEqualTo("invalid");
    assertThat(a.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("fix");
    JsonNode fix = pollOne("fix");
    assertThat(fix.path("processId").asText()).isEqualTo(id);
    assertThat(fix.path("payload").path("why").asText()).isEqualTo("negative quantity");
  }

  @Test
  void a_parked_process_is_listed_with_its_park_and_a_person_can_replay_it() {
    String id = start("{\"qty\":2}");
    http.post("/api/v1/tasks/" + pollOne("check").path("id").asText() + "/complete",
        "{\"outcome\":\"invalid\",\"output\":{\"qty\":2,\"fix\":true}}");
    http.post("/api/v1/tasks/" + pollOne("fix").path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"Unfixable\",\"message\":\"no\"}}");

    JsonNode parked = http.get("/api/v1/processes?pipeline=check&status=PARKED").json().path("items");
    assertThat(parked.findValuesAsText("id")).contains(id);
    JsonNode p = http.get("/api/v1/processes/" + id).json();
    assertThat(p.path("status").asText()).isEqualTo("PARKED");
    assertThat(p.path("park").path("stage").asText()).isEqualTo("fix");
    assertThat(p.path("park").path("to").asText()).isEqualTo("check");
    assertThat(p.path("error").path("type").asText()).isEqualTo("Unfixable");
    JsonNode fixStage = http.get("/api/v1/pipelines/check").json().path("stages").get(1);
    assertThat(fixStage.path("counts").path("parked").asInt()).isGreaterThanOrEqualTo(1);

    Http.Answer replay = http.post("/api/v1/processes/" + id + "/replay", "{}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("check");
    // The failed stage handed its input on: the park keeps it for the replay.
    assertThat(pollOne("check").path("payload").path("fix").asBoolean()).isTrue();
  }
}
