package dev.ridley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.server.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operations files under docs/ops are valid for the tools that load them. */
class OpsFilesTest {

  static final Path OPS = TestServers.repoRoot().resolve("docs/ops");

  @Test
  void the_alert_rules_pass_promtool() throws Exception {
    Process p = new ProcessBuilder("promtool", "check", "rules", OPS.resolve("ridley-alerts.yml").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void the_grafana_dashboard_is_a_dashboard_whose_panels_all_query_prometheus() throws Exception {
    JsonNode d = new ObjectMapper().readTree(OPS.resolve("ridley-grafana-dashboard.json").toFile());
    assertThat(d.path("title").asText()).isNotBlank();
    assertThat(d.path("uid").asText()).isNotBlank();
    assertThat(d.path("schemaVersion").asInt()).isPositive();
    assertThat(d.path("panels")).isNotEmpty();
    for (JsonNode panel : d.path("panels")) {
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("gridPos").path("w").asInt()).isPositive();
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode t : panel.path("targets")) {
        assertThat(t.path("expr").asText()).containsAnyOf("ridley_", "http_server_requests_seconds");
      }
    }
  }
}
