package dev.ridley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for tests: real requests, answers as status + headers + JSON. */
public final class Http {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  public record Answer(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text, e);
      }
    }
  }

  /**
   * Polls {@code stage} as worker {@code worker} until it claims the task of {@code processId};
   * tasks of other processes claimed meanwhile are left unreported, so tests sharing a server
   * never take each other's work.
   */
  public JsonNode claimTaskOf(String processId, String stage) {
    for (int i = 0; i < 50; i++) {
      JsonNode tasks = post("/api/v1/tasks/poll",
          "{\"worker\":\"test\",\"stages\":[\"" + stage + "\"],\"max\":10,\"waitMs\":200}").json().path("tasks");
      for (JsonNode t : tasks) {
        if (t.path("processId").asText().equals(processId)) return t;
      }
    }
    throw new AssertionError("no task of process " + processId + " at stage " + stage);
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
  }

  public Answer post(String path, String body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
