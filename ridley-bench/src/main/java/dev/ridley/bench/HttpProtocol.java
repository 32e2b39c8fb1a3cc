package dev.ridley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The worker protocol over HTTP/1.1 with the JDK's client and Jackson, as the SDK speaks it (and
 * as a worker in any language would): {@code POST /api/v1/tasks/poll}, then {@code POST
 * /api/v1/tasks/{id}/complete} per result, or {@code POST /api/v1/tasks/complete} with a batch.
 */
final class HttpProtocol implements Protocol {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final boolean batch;

  HttpProtocol(URI server, boolean batch) {
    String s = server.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.batch = batch;
  }

  @Override
  public String name() {
    return batch ? "http-batch" : "http";
  }

  @Override
  public List<Task> poll(String worker, List<String> stages, int max, Duration wait)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("worker", worker);
    ArrayNode s = body.putArray("stages");
    stages.forEach(s::add);
    body.put("max", max);
    body.put("waitMs", wait.toMillis());
    JsonNode reply = post("/api/v1/tasks/poll", body, wait.plus(REQUEST_TIMEOUT));
    List<Task> out = new ArrayList<>();
    for (JsonNode t : reply.path("tasks")) {
      out.add(new Task(UUID.fromString(t.get("id").asText()), t.get("stage").asText(),
          t.path("attempt").asInt(1), t.get("payload")));
    }
    return out;
  }

  @Override
  public void complete(List<Result> results) throws IOException, InterruptedException {
    if (batch) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode items = body.putArray("results");
      for (Result r : results) {
        ObjectNode o = items.addObject();
        o.put("id", r.task().id().toString());
        o.put("outcome", "ok");
        o.set("output", r.output());
      }
      JsonNode reply = post("/api/v1/tasks/complete", body, REQUEST_TIMEOUT);
      for (JsonNode item : reply.path("results")) {
        if (item.path("status").asInt(200) != 200) {
          throw new BenchException("a batched result was refused: " + item);
        }
      }
      return;
    }
    for (Result r : results) {
      ObjectNode body = JSON.createObjectNode();
      body.put("outcome", "ok");
      body.set("output", r.output());
      post("/api/v1/tasks/" + r.task().id() + "/complete", body, REQUEST_TIMEOUT);
    }
  }

  @Override
  public boolean batches() {
    return batch;
  }

  /** Starts a process; the answer's body. */
  JsonNode start(String pipeline, JsonNode payload) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.set("payload", payload);
    return post("/api/v1/pipelines/" + pipeline + "/processes", body, REQUEST_TIMEOUT);
  }

  /** Starts processes in one bulk start; the answer's body ({@code {"results": [...]}}). */
  JsonNode startAll(String pipeline, List<JsonNode> payloads) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode items = body.putArray("processes");
    for (JsonNode p : payloads) items.addObject().set("payload", p);
    return post("/api/v1/pipelines/" + pipeline + "/processes/batch", body, REQUEST_TIMEOUT);
  }

  private JsonNode post(String path, JsonNode body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new BenchException(
          "POST " + path + " answered " + response.statusCode() + ": " + new String(response.body()));
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    http.close();
  }
}
