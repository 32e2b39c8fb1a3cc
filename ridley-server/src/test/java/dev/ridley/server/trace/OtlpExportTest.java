package dev.ridley.server.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.google.protobuf.ByteString;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import dev.ridley.worker.trace.Action;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ended processes reach an OTLP collector as one trace each, with the process's trace id. */
class OtlpExportTest {

  @Test
  void an_ended_process_is_exported_as_a_root_span_with_attempt_children_and_the_workers_nested_actions(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("traced.yaml"), """
        name: traced
        defaults:
          retry: {attempts: 2, backoff: 100ms}
        stages:
          check: {}
        """);
    Map<UUID, String> traceparents = new ConcurrentHashMap<>();
    try (OtlpReceiver receiver = new OtlpReceiver();
        RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir).build(),
            Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(), "otel.service.name", "ridley-test"));
        RidleyWorker worker = RidleyWorker.builder(server.uri()).workerId("otel-worker")
            .pollWait(Duration.ofMillis(500)).shutdownTimeout(Duration.ofSeconds(2))
            .handle("check", task -> {
              traceparents.put(task.processId(), task.traceparent());
              if (task.input().path("always").asBoolean() || task.attempt() == 1) {
                throw new IllegalStateException("flaky on attempt " + task.attempt());
              }
              try (Action lookup = task.startAction("lookup", Map.of("key", "k1"))) {
                try (Action query = lookup.startAction("db:query")) {
                  query.log("rows", Map.of("count", 3));
                }
              }
              return "fine";
            }).build().start();
        RidleyClient client = RidleyClient.create(server.uri())) {
      UUID ok = client.start("traced", StartRequest.of(Map.of("always", false))).process().id();
      UUID failed = client.start("traced", StartRequest.of(Map.of("always", true))).process().id();

      await().atMost(Duration.ofSeconds(30)).until(() -> rootOf(receiver, ok).isPresent() && rootOf(receiver, failed).isPresent());
      assertThat(receiver.resources().get(0).getResource().getAttributesList())
          .anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("ridley-test"));

      // the succeeded process: root, two attempts (the first failed), the handler and its nested actions
      List<Span> trace = traceOf(receiver, ok);
      ByteString traceId = bytes(ok.toString().replace("-", ""));
      assertThat(trace).allMatch(s -> s.getTraceId().equals(traceId));
      Span root = rootOf(receiver, ok).orElseThrow();
      assertThat(root.getName()).isEqualTo("ridley:pipeline:traced");
      assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
      assertThat(attr(root, "ridley.process.status")).isEqualTo("SUCCEEDED");
      List<Span> attempts = childrenOf(trace, root);
      assertThat(attempts).extracting(Span::getName).containsOnly("ridley:stage:check").hasSize(2);
      Span first = attempts.stream().filter(s -> attr(s, "ridley.attempt").equals("1")).findFirst().orElseThrow();
      Span second = attempts.stream().filter(s -> attr(s, "ridley.attempt").equals("2")).findFirst().orElseThrow();
      assertThat(first.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(first.getStatus().getMessage()).contains("flaky on attempt 1");
      assertThat(first.getEventsList()).anyMatch(e -> e.getName().equals("exception")
          && e.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals("exception.type")
              && kv.getValue().getStringValue().equals("java.lang.IllegalStateException")));
      assertThat(attr(first, "ridley.worker")).isEqualTo("otel-worker");
      assertThat(attr(first, "ridley.stage")).isEqualTo("check");
      assertThat(second.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
      assertThat(attr(second, "ridley.outcome")).isEqualTo("ok");

      Span handler = only(childrenOf(trace, second), "ridley:handler");
      Span lookup = only(childrenOf(trace, handler), "lookup");
      assertThat(attr(lookup, "key")).isEqualTo("k1");
      Span query = only(childrenOf(trace, lookup), "db:query");
      assertThat(query.getEventsList()).anyMatch(e -> e.getName().equals("rows"));
      assertThat(query.getStartTimeUnixNano()).isGreaterThanOrEqualTo(lookup.getStartTimeUnixNano());
      assertThat(root.getEndTimeUnixNano()).isGreaterThanOrEqualTo(root.getStartTimeUnixNano());

      // the traceparent the worker got names the handler's span: a handler's own spans join the trace
      String traceparent = traceparents.get(ok);
      assertThat(traceparent).isEqualTo("00-" + hex(traceId) + "-" + hex(handler.getSpanId()) + "-01");

      // the failed process's root carries the error
      Span failedRoot = rootOf(receiver, failed).orElseThrow();
      assertThat(failedRoot.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(attr(failedRoot, "ridley.process.status")).isEqualTo("FAILED");
      assertThat(childrenOf(traceOf(receiver, failed), failedRoot))
          .hasSize(2).allMatch(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);

      assertThat(client.get(ok).orElseThrow().status().isTerminal()).isTrue();
    }
  }

  @Test
  void a_collector_that_is_down_gets_the_traces_once_it_is_back_and_health_shows_the_outage(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), "name: flow\nstages:\n  work: {}\n");
    int port;
    try (ServerSocket reserve = new ServerSocket(0)) {
      port = reserve.getLocalPort();
    }
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir).build(),
        Map.of("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + port, "otel.exporter.otlp.timeout", "1000",
            "otel.java.exporter.otlp.retry.disabled", "true"))) {
      UUID id = server.engine().processes().start("flow",
          dev.ridley.engine.StartRequest.of(IntNode.valueOf(1))).process().id();
      server.engine().operations().cancel(id, "ends it");
      Http http = new Http(server.uri());
      await().atMost(Duration.ofSeconds(30)).until(() ->
          http.get("/health").json().path("loops").path("otlpTraces").asText().equals("DOWN"));

      try (OtlpReceiver receiver = new OtlpReceiver(port)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> rootOf(receiver, id).isPresent());
        assertThat(rootOf(receiver, id).orElseThrow().getName()).isEqualTo("ridley:pipeline:flow");
        await().atMost(Duration.ofSeconds(10)).until(() ->
            http.get("/health").json().path("loops").path("otlpTraces").asText().equals("UP"));
      }
    }
  }

  @Test
  void a_polled_task_carries_the_traceparent_the_sdk_derives_and_the_export_uses(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), "name: flow\nstages:\n  work: {}\n");
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir).build())) {
      UUID id = server.engine().processes().start("flow",
          dev.ridley.engine.StartRequest.of(IntNode.valueOf(1))).process().id();
      var task = new Http(server.uri()).post("/api/v1/tasks/poll",
          "{\"worker\": \"w\", \"stages\": [\"work\"], \"max\": 1, \"waitMs\": 1000}").json().path("tasks").get(0);

      String traceparent = task.path("traceparent").asText();
      assertThat(traceparent).isEqualTo(dev.ridley.worker.trace.TraceHeaders.traceparent(task.path("traceId").asText()));
      assertThat(traceparent).isEqualTo("00-" + id.toString().replace("-", "") + "-"
          + ProcessSpans.spanId(id.toString(), dev.ridley.engine.tree.TraceIds.workerSlot(1)) + "-01");
    }
  }

  @Test
  void without_an_endpoint_nothing_is_exported_and_health_has_no_export_loop() throws Exception {
    try (RidleyServer server = RidleyServer.start(TestServers.config())) {
      String health = new Http(server.uri()).get("/health").text();
      assertThat(health).contains("\"sweeper\"").doesNotContain("otlpTraces");
    }
  }

  private static Optional<Span> rootOf(OtlpReceiver receiver, UUID process) {
    return traceOf(receiver, process).stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst();
  }

  private static List<Span> traceOf(OtlpReceiver receiver, UUID process) {
    ByteString id = bytes(process.toString().replace("-", ""));
    return receiver.spans().stream().filter(s -> s.getTraceId().equals(id)).toList();
  }

  private static List<Span> childrenOf(List<Span> trace, Span parent) {
    return trace.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
  }

  private static Span only(List<Span> spans, String name) {
    assertThat(spans).extracting(Span::getName).containsExactly(name);
    return spans.get(0);
  }

  private static String attr(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (!kv.getKey().equals(key)) continue;
      var v = kv.getValue();
      return v.hasStringValue() ? v.getStringValue() : v.hasIntValue() ? Long.toString(v.getIntValue()) : v.toString();
    }
    return null;
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
