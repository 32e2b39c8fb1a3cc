package dev.ridley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A representative session over real HTTP, every answer checked against the response docs/openapi.yaml
 * documents for its operation, status and content type; and every documented operation is used.
 */
class AnswersMatchTheContractTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  final List<String> violations = new ArrayList<>();
  final Set<String> used = new TreeSet<>();

  Http.Answer get(String path) {
    return checked("GET", path, HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Http.Answer get(String path, String accept) {
    return checked("GET", path, HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build());
  }

  Http.Answer post(String path, String body) {
    return checked("POST", path, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  URI uri(String path) {
    return server.uri().resolve(path);
  }

  Http.Answer checked(String method, String path, HttpRequest request) {
    Http.Answer a = server.http().send(request);
    violations.addAll(Contract.get().violations(method, path, a.status(), a.contentType(), a.text()));
    String op = Contract.get().operationId(method, path);
    if (op != null) used.add(op);
    return a;
  }

  JsonNode claim(String processId, String stage) {
    for (int i = 0; i < 50; i++) {
      JsonNode tasks = post("/api/v1/tasks/poll",
          "{\"worker\":\"contract\",\"stages\":[\"" + stage + "\"],\"max\":10,\"waitMs\":200}").json().path("tasks");
      for (JsonNode t : tasks) {
        if (t.path("processId").asText().equals(processId)) return t;
      }
    }
    throw new AssertionError("no task of " + processId + " at " + stage);
  }

  String start(String pipeline, String body) {
    Http.Answer a = post("/api/v1/pipelines/" + pipeline + "/processes", body);
    assertThat(a.status()).isEqualTo(201);
    return a.json().path("process").path("id").asText();
  }

  @Test
  void every_answer_of_a_representative_session_matches_the_document() {
    // health, metrics, pipelines
    assertThat(get("/health").status()).isEqualTo(200);
    assertThat(get("/metrics").status()).isEqualTo(200);
    assertThat(get("/api/v1/me").json().path("authentication").asText()).isEqualTo("none");
    get("/api/v1/pipelines");
    get("/api/v1/pipelines/divide");
    assertThat(get("/api/v1/pipelines/dvide").status()).isEqualTo(404);

    // starts: created, already exists, conflict, unknown pipeline, malformed
    String id = start("divide", "{\"customId\":\"contract-1\",\"user\":\"ann\",\"payload\":{\"x\":6,\"y\":3}}");
    assertThat(post("/api/v1/pipelines/divide/processes", "{\"customId\":\"contract-1\",\"user\":\"ann\",\"payload\":{\"x\":6,\"y\":3}}").status()).isEqualTo(200);
    assertThat(post("/api/v1/pipelines/divide/processes", "{\"customId\":\"contract-1\",\"payload\":{\"x\":7}}").status()).isEqualTo(409);
    assertThat(post("/api/v1/pipelines/nope/processes", "{\"payload\":1}").status()).isEqualTo(404);
    assertThat(post("/api/v1/pipelines/divide/processes", "{\"payload\":").status()).isEqualTo(400);
    get("/api/v1/processes/" + id);
    assertThat(get("/api/v1/processes/not-a-uuid").status()).isEqualTo(400);
    assertThat(get("/api/v1/processes/" + UUID.randomUUID()).status()).isEqualTo(404);
    get("/api/v1/pipelines/divide/stages/divide/next?limit=5");
    Http.Answer started = post("/api/v1/pipelines/divide/processes/batch", "{\"processes\":[{\"customId\":\"bulk-1\","
        + "\"payload\":{\"x\":1,\"y\":1}},{\"customId\":\"bulk-1\",\"payload\":{\"x\":2}},{\"payload\":null}]}");
    assertThat(started.json().path("results")).extracting(r -> r.path("status").asInt()).containsExactly(201, 409, 400);
    assertThat(post("/api/v1/pipelines/divide/processes/batch", "{\"processes\":[]}").status()).isEqualTo(400);

    // the worker protocol: poll, heartbeat, complete, a stale report, the batch form
    JsonNode task = claim(id, "divide");
    String taskId = task.path("id").asText();
    assertThat(post("/api/v1/tasks/" + taskId + "/heartbeat", "{\"details\":{\"progress\":0.5}}").status()).isEqualTo(200);
    assertThat(post("/api/v1/tasks/" + UUID.randomUUID() + "/heartbeat", "{}").status()).isEqualTo(404);
    assertThat(post("/api/v1/tasks/" + taskId + "/complete", "{\"outcome\":\"ok\",\"output\":2}").status()).isEqualTo(200);
    assertThat(post("/api/v1/tasks/" + taskId + "/complete", "{\"outcome\":\"ok\",\"output\":3}").status()).isEqualTo(409);
    assertThat(post("/api/v1/tasks/" + taskId + "/heartbeat", "{}").status()).isEqualTo(409);
    JsonNode ocean = claim(id, "ocean");
    Http.Answer batch = post("/api/v1/tasks/complete", "{\"results\":[{\"id\":\"" + ocean.path("id").asText()
        + "\",\"outcome\":\"ok\",\"output\":2},{\"id\":\"" + UUID.randomUUID() + "\",\"outcome\":\"ok\"}]}");
    assertThat(batch.json().path("results").findValuesAsText("status")).containsExactly("200", "404");
    assertThat(post("/api/v1/tasks/complete", "{\"results\":{}}").status()).isEqualTo(400);
    assertThat(get("/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED");
    get("/api/v1/processes/" + id + "/events");
    get("/api/v1/processes/" + id + "/tasks");
    get("/api/v1/processes/" + id + "/tree");
    get("/api/v1/processes/" + id + "/tree", "text/plain");
    get("/api/v1/processes/" + id + "/tree?format=eliot");
    assertThat(get("/api/v1/processes/" + id + "/tree?format=xml").status()).isEqualTo(400);

    // a failure: fail, the error handler, replay, 409s, bulk replay, cancel
    String failing = start("divide", "{\"payload\":{\"x\":1,\"y\":0}}");
    assertThat(post("/api/v1/tasks/" + claim(failing, "divide").path("id").asText() + "/fail",
        "{\"error\":{\"type\":\"java.lang.ArithmeticException\",\"message\":\"/ by zero\",\"stack\":\"at Divide\"},\"retryable\":true}").status())
        .isEqualTo(200);
    assertThat(post("/api/v1/tasks/" + UUID.randomUUID() + "/fail", "{\"error\":{}}").status()).isEqualTo(400);
    post("/api/v1/tasks/" + claim(failing, "errors").path("id").asText() + "/complete", "{}");
    JsonNode failed = get("/api/v1/processes/" + failing).json();
    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("java.lang.ArithmeticException");
    Http.Answer replayed = post("/api/v1/processes/" + failing + "/replay", "{}");
    assertThat(replayed.json().path("process").path("lastSeen").path("stage").asText()).isEqualTo("divide");
    assertThat(post("/api/v1/processes/" + failing + "/replay", "{}").status()).isEqualTo(409);
    assertThat(post("/api/v1/processes/replay", "{\"filter\":{\"pipeline\":\"divide\"},\"fromStage\":\"divide\"}").status()).isEqualTo(200);
    assertThat(post("/api/v1/processes/replay", "{\"filter\":{},\"fromStage\":\"divide\"}").status()).isEqualTo(400);
    assertThat(post("/api/v1/processes/" + failing + "/cancel", "{\"reason\":\"contract\"}").status()).isEqualTo(200);
    assertThat(post("/api/v1/processes/" + failing + "/cancel", "{}").status()).isEqualTo(409);

    // a parked process shows its park
    String parking = start("failover", "{\"payload\":{\"to\":\"somewhere\"}}");
    for (String stage : List.of("output-1", "output-2", "output-3")) {
      post("/api/v1/tasks/" + claim(parking, stage).path("id").asText() + "/fail", "{\"error\":{\"type\":\"Down\"}}");
    }
    JsonNode parked = get("/api/v1/processes/" + parking).json();
    assertThat(parked.path("status").asText()).isEqualTo("PARKED");
    assertThat(parked.path("park").path("to").asText()).isEqualTo("output-1");

    // search, pause and resume, throughput
    Http.Answer page = get("/api/v1/processes?pipeline=divide&limit=1");
    get("/api/v1/processes?cursor=" + page.json().path("nextCursor").asText() + "&limit=1&pipeline=divide");
    get("/api/v1/processes?status=PARKED&seenBefore=PT0S");
    assertThat(get("/api/v1/processes?status=SLEEPING").status()).isEqualTo(400);
    assertThat(post("/api/v1/pipelines/divide/pause", "{\"stage\":\"divide\"}").json().path("stages").get(0).path("paused").asBoolean()).isTrue();
    post("/api/v1/pipelines/divide/resume", "{}");
    assertThat(post("/api/v1/pipelines/divide/pause", "{\"stage\":\"nope\"}").status()).isEqualTo(400);
    get("/api/v1/throughput?minutes=5");
    get("/api/v1/throughput?pipeline=divide");
    assertThat(get("/api/v1/throughput?minutes=0").status()).isEqualTo(400);

    assertThat(violations).as("answers that do not match docs/openapi.yaml").isEmpty();
    Set<String> documented = new TreeSet<>();
    JsonNode paths = Contract.get().spec().path("paths");
    for (String path : Contract.names(paths)) {
      for (String method : Contract.names(paths.get(path))) {
        documented.add(paths.get(path).get(method).path("operationId").asText(method.toUpperCase(Locale.ROOT) + " " + path));
      }
    }
    assertThat(used).as("operations this session used").containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void a_documented_schema_catches_an_answer_that_drifted() {
    String drifted = "{\"status\":\"UP\",\"database\":\"UP\",\"durability\":\"synchronous\",\"loops\":{},\"uptime\":3}";
    assertThat(Contract.get().violations("GET", "/health", 200, "application/json", drifted))
        .singleElement().asString().contains("uptime");
    String badTime = get("/health").text().replace("\"UP\"", "\"SIDEWAYS\"");
    assertThat(Contract.get().violations("GET", "/health", 200, "application/json", badTime)).isNotEmpty();
    assertThat(Contract.get().violations("GET", "/health", 418, "application/json", "{}")).isNotEmpty();
  }
}
