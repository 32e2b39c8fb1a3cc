package dev.ridley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP requests with a bearer key (or none), answering status, headers and body. */
final class AuthedHttp {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  AuthedHttp(URI base) {
    this.base = base;
  }

  record Answer(int status, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return MAPPER.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + response.body(), e);
      }
    }

    String detail() {
      return json().path("detail").asText();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  Answer get(String key, String path) {
    return send(request(key, path).GET());
  }

  Answer post(String key, String path, String body) {
    return send(request(key, path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpRequest.Builder request(String key, String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return b;
  }

  Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a divide process as {@code key}; answers its id. */
  String start(String key, String body) {
    Answer a = post(key, "/api/v1/pipelines/divide/processes", body);
    if (a.status() != 201) throw new AssertionError("start answered " + a.status() + ": " + a.response().body());
    return a.json().path("process").path("id").asText();
  }
}
