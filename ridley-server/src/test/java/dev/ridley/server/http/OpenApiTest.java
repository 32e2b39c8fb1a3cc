package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml documents every route the server serves. */
class OpenApiTest {

  @Test
  void every_served_route_is_in_the_openapi_document() throws Exception {
    JsonNode paths = new YAMLMapper().readTree(TestServers.repoRoot().resolve("docs/openapi.yaml").toFile()).path("paths");
    List<String> missing = new ArrayList<>();
    try (RidleyServer server = TestServers.start()) {
      assertThat(server.routes()).isNotEmpty();
      for (RouteTable.Entry r : server.routes()) {
        boolean api = r.path().startsWith("/api/") || r.path().equals("/health") || r.path().equals("/metrics");
        if (!api) {
          continue; // dashboard pages and assets
        }
        JsonNode op = paths.path(r.path()).path(r.method().toLowerCase());
        if (op.isMissingNode()) missing.add(r.method() + " " + r.path());
      }
    }
    assertThat(missing).as("routes served but not in docs/openapi.yaml").isEmpty();
  }
}
