package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.cli.RidleyCli;
import dev.ridley.server.trace.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ridley server` with the standard OTEL_* environment variables exports ended processes. */
class OtlpEnvironmentTest {

  @Test
  void otel_exporter_otlp_endpoint_in_the_environment_turns_the_export_on(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), "name: flow\nstages:\n  first: {}\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> env = new HashMap<>();
      env.put("RIDLEY_DB_URL", TestDatabase.freshUrl());
      env.put("RIDLEY_DB_USER", "postgres");
      env.put("RIDLEY_HTTP_PORT", Integer.toString(port));
      env.put("RIDLEY_PIPELINES", dir.toString());
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.put("OTEL_SERVICE_NAME", "ridley-from-env");
      URI uri = URI.create("http://127.0.0.1:" + port);
      try (ChildJvm server = ChildJvm.start("otlp-env", RidleyCli.class, env, "server")) {
        server.awaitLine("Ridley listening", Duration.ofSeconds(120));
        HttpClient http = HttpClient.newHttpClient();
        String started = http.send(HttpRequest.newBuilder(uri.resolve("/api/v1/pipelines/flow/processes"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {\"n\": 1}}")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        String id = started.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        assertThat(http.send(HttpRequest.newBuilder(uri.resolve("/api/v1/processes/" + id + "/cancel"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        ByteString traceId = ByteString.copyFrom(HexFormat.of().parseHex(id.replace("-", "")));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans().stream()
            .anyMatch(s -> s.getTraceId().equals(traceId) && s.getParentSpanId().isEmpty()));
        Span root = receiver.spans().stream().filter(s -> s.getTraceId().equals(traceId) && s.getParentSpanId().isEmpty())
            .findFirst().orElseThrow();
        assertThat(root.getName()).isEqualTo("ridley:pipeline:flow");
        assertThat(receiver.resources()).anyMatch(r -> r.getResource().getAttributesList().stream()
            .anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("ridley-from-env")));
        assertThat(http.send(HttpRequest.newBuilder(uri.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
            .body()).contains("\"otlpTraces\":\"UP\"");
        assertThat(server.terminate(Duration.ofSeconds(60))).isEqualTo(0);
      }
    }
  }
}
