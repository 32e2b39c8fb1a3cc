package dev.ridley.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.pipeline.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One workload's moving parts: the rig, the server (HTTP modes), the workers' protocol and the
 * probe on the JVM that runs the engine's hot path.
 */
final class Setup implements AutoCloseable {

  /** Where the workers run and how they report. */
  enum Mode {
    /** In the engine's JVM, calling it directly. */
    INPROC,
    /** In another JVM than the server, over the HTTP protocol. */
    HTTP,
    /** The Java SDK's workers over RabbitMQ ({@code RIDLEY_AMQP_URL}); the server in another JVM. */
    AMQP
  }

  /** Options common to the workloads. */
  /** @param engineMetrics in-process: whether the engine reports to Prometheus meters, as a server's does */
  record Options(Mode mode, int workers, int prefetch, boolean batch, boolean serverInThisJvm, List<String> serverJvmOptions,
      boolean engineMetrics) {}

  final Rig rig;
  final ServerNode server;
  final Protocol protocol;
  final Options options;

  private Setup(Rig rig, ServerNode server, Protocol protocol, Options options) {
    this.rig = rig;
    this.server = server;
    this.protocol = protocol;
    this.options = options;
  }

  static Setup open(String dbUrl, Options o) {
    return open(dbUrl, o, null);
  }

  /**
   * @param retention how long ended processes are kept (the server's {@code RIDLEY_RETENTION}; in
   *     {@code inproc} mode this JVM's engine runs its sweeper to delete them); null: forever
   */
  static Setup open(String dbUrl, Options o, Duration retention) {
    return open(dbUrl, o, retention, true);
  }

  /** @param groupStarts whether this JVM's engine groups concurrent single starts (in-process starts) */
  static Setup open(String dbUrl, Options o, Duration retention, boolean groupStarts) {
    // In-process workers share this JVM's pool with the engine's claims and reports.
    String amqp = o.mode() == Mode.AMQP ? BenchBroker.url() : null;
    Rig rig = Rig.open(dbUrl, o.mode() == Mode.INPROC ? 32 : 16, retention, groupStarts, amqp != null,
        o.mode() == Mode.INPROC && o.engineMetrics());
    try {
      if (o.mode() == Mode.INPROC) {
        if (retention != null) rig.engine().startSweeper(Duration.ofMillis(500));
        return new Setup(rig, null, new InProcessProtocol(rig.engine(), o.batch()), o);
      }
      Map<String, String> env = new java.util.HashMap<>();
      if (retention != null) env.put("RIDLEY_RETENTION", Durations.format(retention));
      if (amqp != null) {
        BenchBroker.purge(amqp, Rig.PIPELINE, Rig.PIPELINE_STAGES);
        env.put("RIDLEY_AMQP_URL", amqp);
      }
      ServerNode server = o.serverInThisJvm()
          ? ServerNode.inThisJvm(rig, retention, amqp) : ServerNode.childJvm(rig, o.serverJvmOptions(), env);
      return new Setup(rig, server, new HttpProtocol(server.uri(), o.batch()), o);
    } catch (RuntimeException e) {
      rig.close();
      throw e;
    }
  }

  /** The broker the AMQP mode's workers consume from; null in the other modes. */
  String amqpUrl() {
    return options.mode() == Mode.AMQP ? BenchBroker.url() : null;
  }

  /** A probe on the JVM that serves the engine: the server's in HTTP mode, else this one. */
  Probe probe() {
    if (server == null) return new Probe(ProcessHandle.current().pid(), null);
    return new Probe(server.pid(), server.uri());
  }

  URI serverUri() {
    return server == null ? null : server.uri();
  }

  /** Starts processes {@code [0, n)} of a pipeline through this JVM's engine, one at a time on 16 threads. */
  void insert(String pipeline, int n) throws Exception {
    insert(pipeline, n, false);
  }

  /** The most starts of one bulk start. */
  static final int INSERT_BATCH = 1000;

  /**
   * Starts processes {@code [0, n)} of a pipeline through this JVM's engine: with {@code bulk}, in
   * bulk starts of {@link #INSERT_BATCH} ({@code Processes.startAll}, one transaction each) on 4
   * threads; otherwise one start per call on 16 threads.
   */
  void insert(String pipeline, int n, boolean bulk) throws Exception {
    if (bulk) {
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<?>> parts = new ArrayList<>();
        for (int from = 0; from < n; from += INSERT_BATCH) {
          int lo = from, hi = Math.min(n, from + INSERT_BATCH);
          parts.add(pool.submit(() -> {
            List<StartRequest> batch = new ArrayList<>(hi - lo);
            for (int i = lo; i < hi; i++) batch.add(StartRequest.of(payload(i)));
            for (var answer : rig.engine().processes().startAll(pipeline, batch)) {
              if (!answer.applied()) throw new BenchException("a bulk start was refused: " + answer.refused());
            }
            return null;
          }));
        }
        for (Future<?> f : parts) f.get();
      }
      return;
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> parts = new ArrayList<>();
      int chunk = Math.max(1, n / 64);
      for (int from = 0; from < n; from += chunk) {
        int lo = from, hi = Math.min(n, from + chunk);
        parts.add(pool.submit(() -> {
          for (int i = lo; i < hi; i++) rig.engine().processes().start(pipeline, StartRequest.of(payload(i)));
          return null;
        }));
      }
      for (Future<?> f : parts) f.get();
    }
  }

  static com.fasterxml.jackson.databind.JsonNode payload(int i) {
    return JsonNodeFactory.instance.objectNode().put("i", i);
  }

  /** Message ids travel in the payload, and each stage hands its input on. */
  static int messageOf(Protocol.Task t) {
    return t.input().get("i").asInt();
  }

  @Override
  public void close() {
    protocol.close();
    if (server != null) server.close();
    rig.close();
  }
}
