package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.testing.EliotParser;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/v1/processes/{id}/tree over real HTTP, for a process an SDK worker traced. */
class TreeApiTest {

  static RidleyServer server;
  static RidleyWorker worker;
  static RidleyClient client;
  static Http http;
  static String failed;

  @BeforeAll
  static void start() {
    server = TestServers.start();
    http = new Http(server.uri());
    worker = RidleyWorker.builder(server.uri()).workerId("tree-worker").pollWait(Duration.ofMillis(500))
        .handle("divide", t -> {
          double x = t.input().path("x").asDouble();
          double y = t.input().path("y").asDouble();
          return t.startAction("divide:compute", Map.of("x", x, "y", y)).call(() -> {
            if (y == 0) throw new ArithmeticException("division by zero: " + x + " / 0");
            return x / y;
          });
        })
        .handle("ocean", t -> t.input())
        .handle("errors", t -> t.input())
        .build().start();
    client = RidleyClient.create(server.uri());
    failed = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 0))).process().id().toString();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> client.get(UUID.fromString(failed)).orElseThrow().status().isTerminal());
  }

  @AfterAll
  static void stop() {
    client.close();
    worker.close();
    server.close();
  }

  static List<JsonNode> children(JsonNode node, String kind) {
    List<JsonNode> out = new ArrayList<>();
    node.path("children").forEach(c -> {
      if (c.path("kind").asText().equals(kind)) out.add(c);
    });
    return out;
  }

  @Test
  void the_json_tree_has_the_attempts_and_the_workers_failure_nested_in_its_attempt() {
    Http.Answer a = http.get("/api/v1/processes/" + failed + "/tree");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    JsonNode tree = a.json();
    assertThat(tree.path("processId").asText()).isEqualTo(failed);
    assertThat(tree.path("complete").asBoolean()).isTrue();
    JsonNode root = tree.path("root");
    assertThat(root.path("actionType").asText()).isEqualTo("ridley:pipeline:divide");
    assertThat(root.path("status").asText()).isEqualTo("failed");
    assertThat(root.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");

    List<JsonNode> attempts = children(root, "action");
    assertThat(attempts).extracting(n -> n.path("actionType").asText())
        .containsExactly("ridley:stage:divide", "ridley:stage:errors");
    JsonNode divide = attempts.getFirst();
    assertThat(divide.path("reason").asText()).isEqualTo("division by zero: 1.0 / 0");
    assertThat(divide.path("endFields").path("worker").asText()).isEqualTo("tree-worker");
    JsonNode handler = children(divide, "action").getFirst();
    assertThat(handler.path("actionType").asText()).isEqualTo("ridley:handler");
    assertThat(handler.path("level").toString()).isEqualTo("[2,3]");
    JsonNode compute = children(handler, "action").getFirst();
    assertThat(compute.path("actionType").asText()).isEqualTo("divide:compute");
    assertThat(compute.path("status").asText()).isEqualTo("failed");
    assertThat(compute.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(compute.path("fields").path("y").asDouble()).isEqualTo(0.0);
  }

  @Test
  void accept_text_plain_renders_the_tree_as_eliot_tree_does() {
    Http.Answer a = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/processes/" + failed + "/tree"))
        .header("Accept", "text/plain").GET().build());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("text/plain");
    assertThat(a.text()).startsWith(failed + "\n└── ridley:pipeline:divide/1 ⇒ started ")
        .contains("├── ridley:stage:divide/2/1 ⇒ started ")
        .contains("ridley:handler/2/3/1 ⇒ started ")
        .contains("divide:compute/2/3/2/2 ⇒ failed ")
        .contains("reason: division by zero: 1.0 / 0");
  }

  @Test
  void format_eliot_gives_json_lines_that_eliots_parser_reads_as_one_complete_task() {
    Http.Answer a = http.get("/api/v1/processes/" + failed + "/tree?format=eliot");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith(TreeRoutes.ELIOT_LINES);
    assertThat(a.text().lines()).allSatisfy(line -> assertThat(line).startsWith("{\"task_uuid\":\"" + failed + "\""));
    assertThat(EliotParser.parse(a.text())).singleElement().satisfies(t -> {
      assertThat(t.taskUuid()).isEqualTo(failed);
      assertThat(t.complete()).isTrue();
    });
  }

  @Test
  void an_unknown_process_is_404_and_a_bad_id_or_format_is_400_as_problem_json() {
    Http.Answer missing = http.get("/api/v1/processes/" + UUID.randomUUID() + "/tree");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    Http.Answer badId = http.get("/api/v1/processes/not-a-uuid/tree");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().path("detail").asText()).contains("not a process id");
    Http.Answer badFormat = http.get("/api/v1/processes/" + failed + "/tree?format=xml");
    assertThat(badFormat.status()).isEqualTo(400);
    assertThat(badFormat.json().path("detail").asText()).contains("json").contains("text").contains("eliot");
  }
}
