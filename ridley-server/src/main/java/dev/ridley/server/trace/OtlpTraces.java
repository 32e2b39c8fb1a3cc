package dev.ridley.server.trace;

import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.EndedProcess;
import dev.ridley.engine.Engine;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.tree.ProcessTree;
import dev.ridley.server.config.ConfigException;
import dev.ridley.server.loop.WatchedLoop;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports every process that ends as an OpenTelemetry trace over OTLP, configured by the standard
 * {@code OTEL_*} environment variables (or {@code otel.*} system properties) through the SDK's
 * autoconfigure module: on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set. Like {@link EliotJournalLog}, it follows the
 * journal's ends on its own thread, so requests never wait for it; a batch is exported before the
 * cursor moves past it, so a collector that is down delays the export rather than losing it (up to
 * a restart of this node: the cursor starts at the journal's head).
 */
public final class OtlpTraces implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OtlpTraces.class);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int BATCH = 200;
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration EXPORT_WAIT = Duration.ofSeconds(30);

  private final Engine engine;
  private final OpenTelemetrySdk sdk;
  private final SpanExporter exporter;
  private final Resource resource;
  private final WatchedLoop loop;
  private volatile long cursor;

  private OtlpTraces(Engine engine, OpenTelemetrySdk sdk, SpanExporter exporter, Resource resource, Duration every) {
    this.engine = engine;
    this.sdk = sdk;
    this.exporter = exporter;
    this.resource = resource;
    this.cursor = engine.operations().journalHead();
    this.loop = WatchedLoop.start("otlpTraces", engine.clock(), "ridley-otlp-traces", every, MAX_BACKOFF,
        () -> drain() == BATCH);
  }

  /**
   * Starts exporting when an OTLP endpoint is configured; empty otherwise.
   *
   * @param properties {@code otel.*} settings that apply where the environment and the system
   *     properties do not set them (for embedding and tests)
   */
  public static Optional<OtlpTraces> startIfConfigured(Engine engine, Map<String, String> properties, Duration every) {
    if (!configured(properties)) return Optional.empty();
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "ridley");
    // OTLP over HTTP/protobuf, sent with the JDK's HttpClient; gRPC would need a sender we do not ship.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // Only the traces Ridley rebuilds from its journal are exported; the SDK's own signals stay off.
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.putAll(properties);
    AtomicReference<SpanExporter> exporter = new AtomicReference<>();
    AtomicReference<Resource> resource = new AtomicReference<>();
    AutoConfiguredOpenTelemetrySdk auto;
    try {
      auto = AutoConfiguredOpenTelemetrySdk.builder()
          .disableShutdownHook()
          .addPropertiesSupplier(() -> defaults)
          .addResourceCustomizer((r, c) -> {
            resource.set(r);
            return r;
          })
          .addSpanExporterCustomizer((e, c) -> {
            exporter.set(e);
            return e;
          })
          .build();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException("the OpenTelemetry settings (OTEL_*) are not usable: " + cause.getMessage());
    }
    if (exporter.get() == null) {
      auto.getOpenTelemetrySdk().close();
      log.info("OTEL_TRACES_EXPORTER=none: processes are not exported as traces");
      return Optional.empty();
    }
    // The endpoint only: the exporter's own description may include headers that carry a key.
    String endpoint = setting(properties, "otel.exporter.otlp.traces.endpoint");
    log.info("exporting ended processes as OpenTelemetry traces to {}",
        endpoint != null ? endpoint : setting(properties, "otel.exporter.otlp.endpoint"));
    return Optional.of(new OtlpTraces(engine, auto.getOpenTelemetrySdk(), exporter.get(),
        resource.get() == null ? Resource.getDefault() : resource.get(), every));
  }

  private static boolean configured(Map<String, String> properties) {
    if ("true".equalsIgnoreCase(setting(properties, "otel.sdk.disabled"))) return false;
    return setting(properties, "otel.exporter.otlp.endpoint") != null
        || setting(properties, "otel.exporter.otlp.traces.endpoint") != null;
  }

  /** As autoconfigure reads it: system property, then environment variable, then the given default. */
  private static String setting(Map<String, String> properties, String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) v = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
    if (v == null || v.isBlank()) v = properties.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** Exports the processes that ended since the last call; returns how many ends were read. */
  int drain() {
    Instant settled = engine.clock().instant().minus(SETTLE);
    List<EndedProcess> ended = engine.operations().endedAfter(cursor, settled, BATCH);
    if (ended.isEmpty()) return 0;
    List<SpanData> spans = new ArrayList<>();
    for (EndedProcess e : ended) {
      try {
        Optional<ProcessView> p = engine.processes().process(e.processId());
        if (p.isEmpty()) continue; // already deleted by retention
        List<TaskView> tasks = engine.processes().tasks(e.processId());
        ProcessTree tree = ProcessTree.of(e.processId(), engine.processes().events(e.processId()), tasks);
        spans.addAll(ProcessSpans.of(p.get(), tasks, tree, resource));
      } catch (NotFoundException gone) {
        // deleted by retention between the reads: nothing to export
      } catch (RuntimeException unreadable) {
        if (unreadable instanceof DatabaseUnavailableException) throw unreadable;
        // One process whose history cannot be turned into spans must not hold up every later one.
        log.warn("process {} is not exported as a trace: {}", e.processId(), unreadable.toString());
      }
    }
    if (!spans.isEmpty()) {
      CompletableResultCode result = exporter.export(spans).join(EXPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (!result.isSuccess()) {
        Throwable cause = result.getFailureThrowable();
        throw new IllegalStateException("the OTLP export of " + spans.size() + " spans failed"
            + (cause == null ? (result.isDone() ? "" : " (no answer in " + EXPORT_WAIT.toSeconds() + " s)") : ": " + cause), cause);
      }
    }
    cursor = ended.get(ended.size() - 1).position();
    return ended.size();
  }

  /** The loop's state, for {@code /health}. */
  public LoopHealth health() {
    return loop.health();
  }

  @Override
  public void close() {
    loop.close();
    sdk.close();
  }
}
