package dev.ridley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.StartRequest;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after a run with successes, a failure, a lost process and a fired timer. */
class MetricsTest {

  @Test
  void a_scrape_counts_starts_ends_by_status_and_reason_timers_and_latencies_and_passes_promtool(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("metered.yaml"), """
        name: metered
        stages:
          work: {timeouts: {heartbeat: 1s}}
        """);
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir)
        .setSweepInterval(Duration.ofMillis(100)).build())) {
      Engine engine = server.engine();
      java.util.UUID first = engine.processes().start("metered", StartRequest.of(IntNode.valueOf(0))).process().id();
      for (int i = 1; i < 4; i++) engine.processes().start("metered", StartRequest.of(IntNode.valueOf(i)));
      List<ClaimedTask> claimed = engine.workers().poll("metered-worker", List.of("work"), 4, Duration.ofSeconds(2));
      assertThat(claimed).hasSize(4);
      engine.workers().complete(claimed.get(0).id(), "ok", IntNode.valueOf(0));
      engine.workers().complete(claimed.get(1).id(), "ok", IntNode.valueOf(1));
      engine.workers().fail(claimed.get(2).id(), ErrorInfo.of("IOError", "disk"), false);
      // the fourth is never heard of again: its heartbeat timer fires and the process is LOST
      engine.processes().start("metered", StartRequest.of(IntNode.valueOf(9))); // stays queued
      Http http = new Http(server.uri());

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        String text = http.get("/metrics").text();
        assertThat(value(text, "ridley_processes_started_total", Map.of("pipeline", "metered"))).isEqualTo(5);
        assertThat(value(text, "ridley_processes_ended_total",
            Map.of("pipeline", "metered", "status", "SUCCEEDED", "reason", ""))).isEqualTo(2);
        assertThat(value(text, "ridley_processes_ended_total",
            Map.of("pipeline", "metered", "status", "FAILED", "reason", ""))).isEqualTo(1);
        assertThat(value(text, "ridley_processes_ended_total",
            Map.of("pipeline", "metered", "status", "LOST", "reason", "TASK_HEARTBEAT_TIMEOUT"))).isEqualTo(1);
        assertThat(value(text, "ridley_timers_fired_total",
            Map.of("pipeline", "metered", "stage", "work", "timer", "heartbeat"))).isEqualTo(1);
        assertThat(value(text, "ridley_task_pickup_seconds_count", Map.of("pipeline", "metered", "stage", "work")))
            .isEqualTo(4);
        assertThat(value(text, "ridley_task_run_seconds_count",
            Map.of("pipeline", "metered", "stage", "work", "outcome", "ok"))).isEqualTo(2);
        assertThat(value(text, "ridley_task_run_seconds_count",
            Map.of("pipeline", "metered", "stage", "work", "outcome", "timeout"))).isEqualTo(1);
        assertThat(value(text, "ridley_tasks_queued", Map.of("pipeline", "metered", "stage", "work"))).isEqualTo(1);
        assertThat(value(text, "ridley_tasks_running", Map.of("pipeline", "metered", "stage", "work"))).isEqualTo(0);
        assertThat(value(text, "ridley_task_oldest_queued_seconds", Map.of("pipeline", "metered", "stage", "work")))
            .isGreaterThanOrEqualTo(0);
        assertThat(value(text, "ridley_workers_active", Map.of("pipeline", "metered", "stage", "work"))).isEqualTo(1);
        assertThat(text).contains("hikaricp_connections_active").contains("jvm_memory_used_bytes");
      });

      // HTTP requests are counted by route template, never by raw path
      for (int i = 0; i < 3; i++) assertThat(http.get("/api/v1/processes/" + first).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/processes/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
      assertThat(http.get("/no/such/route/" + first).status()).isEqualTo(404);
      String scrape = http.get("/metrics").text();
      assertThat(value(scrape, "http_server_requests_seconds_count", Map.of("method", "GET",
          "uri", "/api/v1/processes/{id}", "status", "200", "outcome", "SUCCESS"))).isEqualTo(3);
      assertThat(value(scrape, "http_server_requests_seconds_count", Map.of("method", "GET",
          "uri", "/api/v1/processes/{id}", "status", "404", "outcome", "CLIENT_ERROR"))).isEqualTo(1);
      assertThat(value(scrape, "http_server_requests_seconds_count", Map.of("method", "GET",
          "uri", "NOT_FOUND", "status", "404"))).isEqualTo(1);
      assertThat(value(scrape, "http_server_requests_seconds_bucket", Map.of("method", "GET",
          "uri", "/api/v1/processes/{id}", "status", "200", "le", "+Inf"))).isEqualTo(3);
      assertThat(scrape).doesNotContain("uri=\"/api/v1/processes/" + first).doesNotContain("uri=\"/no/such");
      assertThat(promtool(scrape)).as("promtool check metrics").isEmpty();
      // the ready-made dashboard and alerts speak of metrics this server really has
      for (String file : List.of("docs/ops/ridley-grafana-dashboard.json", "docs/ops/ridley-alerts.yml")) {
        Matcher m = Pattern.compile("(ridley|http_server)_[a-z_]+").matcher(Files.readString(TestServers.repoRoot().resolve(file)));
        while (m.find()) assertThat(scrape).as(file + " uses " + m.group()).contains(m.group());
      }
    }
  }

  /** The value of the sample of {@code name} whose labels include {@code labels}; fails when there is none. */
  static double value(String exposition, String name, Map<String, String> labels) {
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(name + "{")) continue;
      String set = line.substring(name.length() + 1, line.lastIndexOf('}'));
      boolean all = labels.entrySet().stream().allMatch(e -> set.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new AssertionError("no sample " + name + labels);
  }

  /** What Prometheus's own linter says of the exposition; empty when it passes. */
  static String promtool(String exposition) throws Exception {
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? "" : out;
  }
}
