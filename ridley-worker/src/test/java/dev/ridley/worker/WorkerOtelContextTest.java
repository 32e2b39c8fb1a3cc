package dev.ridley.worker;

import static dev.ridley.worker.WorkerLogMdcTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the OpenTelemetry API on the classpath, a handler runs inside its task's trace context. */
class WorkerOtelContextTest {

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private RidleyWorker worker;

  @AfterEach
  void stop() {
    if (worker != null) worker.close();
    tracing.close();
  }

  @Test
  void a_span_the_handler_starts_joins_the_process_trace_under_the_handlers_span() {
    Tracer tracer = tracing.get("handler-code");
    UUID task = ridley.enqueue("divide", json("{}"));
    Map<UUID, SpanContext> current = new ConcurrentHashMap<>();
    Map<UUID, String> traceparents = new ConcurrentHashMap<>();
    Map<UUID, UUID> processes = new ConcurrentHashMap<>();
    worker = ridley.worker("otel-test").handle("divide", t -> {
      current.put(t.id(), Span.current().getSpanContext());
      processes.put(t.id(), t.processId());
      traceparents.put(t.id(), t.traceparent());
      Span own = tracer.spanBuilder("charge-card").startSpan();
      own.end();
      return 1;
    }).build().start();

    await().atMost(Duration.ofSeconds(5)).until(() -> !ridley.requestsFor(task, "complete").isEmpty());

    String traceparent = traceparents.get(task);
    String traceId = traceparent.substring(3, 35);
    String parentId = traceparent.substring(36, 52);
    SpanContext seen = current.get(task);
    assertThat(seen.getTraceId()).isEqualTo(traceId);
    assertThat(seen.getSpanId()).isEqualTo(parentId);
    assertThat(seen.isRemote()).isTrue();
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("charge-card");
      assertThat(s.getTraceId()).isEqualTo(traceId);
      assertThat(s.getParentSpanId()).isEqualTo(parentId);
    });
    // the trace id is the process id's hex digits, as in the traces the server exports
    assertThat(traceId).isEqualTo(processes.get(task).toString().replace("-", ""));
  }

  @Test
  void only_one_internal_class_touches_opentelemetry_so_the_sdk_runs_without_it() {
    var classes = new com.tngtech.archunit.core.importer.ClassFileImporter()
        .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ridley.worker");
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that().doNotHaveFullyQualifiedName("dev.ridley.worker.internal.OtelContext")
        .should().dependOnClassesThat().resideInAPackage("io.opentelemetry..")
        .check(classes);
  }
}
