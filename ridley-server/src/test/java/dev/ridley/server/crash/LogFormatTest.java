package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.server.cli.RidleyCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RIDLEY_LOG_FORMAT picks how {@code ridley server} logs: text lines for a person, JSON lines for
 * a log shipper; anything else stops it before it starts. Each run is a real child JVM.
 */
class LogFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void an_unknown_format_stops_the_cli_with_a_message_naming_the_variable() throws Exception {
    try (ChildJvm cli = ChildJvm.start("log-xml", RidleyCli.class, Map.of("RIDLEY_LOG_FORMAT", "xml"), "server")) {
      assertThat(cli.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(cli.output()).contains("RIDLEY_LOG_FORMAT").contains("xml").contains("text or json")
          .doesNotContain("Ridley listening");
    }
  }

  @Test
  void text_and_json_formats_of_the_server_and_the_process_id_on_a_request_about_a_process(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = new HashMap<>(EmbeddedDatabaseCrashTest.env(dir));
    env.put("RIDLEY_LOG_LEVEL", "DEBUG"); // the request lines are at DEBUG
    URI uri = URI.create("http://127.0.0.1:" + env.get("RIDLEY_HTTP_PORT"));
    String process = UUID.randomUUID().toString();

    env.put("RIDLEY_LOG_FORMAT", "text");
    List<String> text = run("log-text", env, uri, process);
    String listening = line(text, "Ridley listening");
    assertThat(listening).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*Ridley listening on .*");
    assertThat(text).noneMatch(l -> l.startsWith("{")).noneMatch(l -> l.contains("|-WARN in ch.qos.logback"));
    assertThat(line(text, "GET /api/v1/processes/" + process)).contains("DEBUG").contains("[process " + process + "]");

    env.put("RIDLEY_LOG_FORMAT", "JSON");
    List<String> json = run("log-json", env, uri, process);
    assertThat(json).noneMatch(l -> l.contains("|-WARN in ch.qos.logback"));
    JsonNode started = JSON.readTree(line(json, "Ridley listening"));
    assertThat(started.path("level").asText()).isEqualTo("INFO");
    assertThat(started.path("message").asText()).startsWith("Ridley listening on ");
    assertThat(started.has("@timestamp")).isTrue();
    JsonNode request = JSON.readTree(line(json, "GET /api/v1/processes/" + process));
    assertThat(request.path("processId").asText()).isEqualTo(process);
    assertThat(request.path("level").asText()).isEqualTo("DEBUG");
  }

  /** Starts the server, asks about the process, stops it with SIGTERM; the lines it printed. */
  private static List<String> run(String name, Map<String, String> env, URI uri, String process) throws Exception {
    try (ChildJvm server = ChildJvm.start(name, RidleyCli.class, env, "server")) {
      server.awaitLine("Ridley listening", Duration.ofSeconds(120));
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri.resolve("/api/v1/processes/" + process)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(404);
      server.awaitLine("GET /api/v1/processes/" + process, Duration.ofSeconds(10));
      assertThat(server.terminate(Duration.ofSeconds(60))).isEqualTo(0);
      return server.output().lines().toList();
    }
  }

  private static String line(List<String> lines, String text) {
    return lines.stream().filter(l -> l.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", lines)));
  }
}
