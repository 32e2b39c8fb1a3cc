package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo runs the orders and failover scenarios against the shipped pipelines. */
class DemoScenariosTest {

  static long count(Http http, String pipeline, String status) {
    return http.get("/api/v1/processes?limit=1000&pipeline=" + pipeline + "&status=" + status).json().path("items").size();
  }

  @Test
  void the_demo_drains_an_orders_backlog_and_fails_over_between_its_outputs() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (RidleyServer server = TestServers.start();
        DemoScenarios demo = DemoScenarios.start(server.uri(), Set.of("divide", "orders", "failover"), out)) {
      Http http = new Http(server.uri());
      assertThat(demo.hasOrders()).isTrue();
      demo.startOrders();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
          count(http, "orders", "SUCCEEDED") + count(http, "orders", "FAILED") == DemoScenarios.BACKLOG);
      JsonNode order = http.get("/api/v1/pipelines/orders").json().path("stages").get(0);
      assertThat(order.path("maxInFlight").asInt()).isEqualTo(50);
      assertThat(order.path("workers").findValuesAsText("id")).contains("demo-agent-1", "demo-agent-2", "demo-agent-3");

      if (!demo.hasFailover()) {
        return; // the demo's ports are taken on this machine; the failover test covers the scenario
      }
      assertThat(demo.command("down 1")).contains("output-1").contains("down");
      String id = http.post("/api/v1/pipelines/failover/processes", "{\"payload\":{\"message\":\"demo\"}}")
          .json().path("process").path("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          http.get("/api/v1/processes/" + id).json().path("status").asText().equals("SUCCEEDED"));
      assertThat(http.get("/api/v1/processes/" + id).json().path("output").path("deliveredTo").asText()).isEqualTo("output-2");
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("output-2 received {\"message\":\"demo\"}");
      assertThat(demo.command("up 1")).contains("up");
      assertThat(demo.command("what")).contains("commands");
    }
  }

  @Test
  void the_banner_explains_each_scenario_that_runs() {
    String banner = DemoCommand.banner("http://127.0.0.1:8088", true, true);
    assertThat(banner).contains("http://127.0.0.1:8088/").contains("{\"payload\":{\"x\":1,\"y\":2}}")
        .contains("{\"payload\":{\"x\":1,\"y\":0}}").contains("./ridley tree");
    assertThat(banner).contains("/api/v1/pipelines/orders").contains("down 1").contains("9101");
    assertThat(DemoCommand.banner("http://127.0.0.1:8088", false, false)).doesNotContain("Orders").doesNotContain("Failover");
  }
}
