package dev.ridley.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.internal.Json;
import dev.ridley.worker.internal.WorkerRuntime;
import dev.ridley.worker.internal.WorkerSettings;
import dev.ridley.worker.trace.EliotLog;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Claims tasks for its stages from a Ridley server and runs their handlers.
 *
 * <pre>{@code
 * try (RidleyWorker worker = RidleyWorker.builder(URI.create("http://127.0.0.1:8088"))
 *     .workerId("divide-1")
 *     .concurrency(8)
 *     .handle("divide", task -> task.input().get("x").asDouble() / task.input().get("y").asDouble())
 *     .build()
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>One long-poll loop asks for as many tasks as there are free slots ({@code concurrency} minus
 * the handlers in flight, across all stages); each task runs on its own virtual thread. While a
 * handler runs, the worker heartbeats its attempt. When the server answers that an attempt is no
 * longer current (it timed out elsewhere, or the process was cancelled), the worker logs one line
 * and lets the attempt go; {@link TaskContext#isAbandoned()} tells the handler.
 *
 * <p>When the server cannot be reached, polling backs off from 100 ms to 5 s and goes on, logging
 * once per outage. A result that cannot be sent is retried a few times, then dropped with a log
 * line: the engine's timers redeliver the task.
 */
public final class RidleyWorker implements AutoCloseable {

  public static final int DEFAULT_CONCURRENCY = 10;
  public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL =
      WorkerSettings.DEFAULT_HEARTBEAT_INTERVAL;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  private final WorkerSettings settings;
  private final WorkerRuntime runtime;

  private RidleyWorker(WorkerSettings settings) {
    this.settings = settings;
    this.runtime = new WorkerRuntime(settings);
  }

  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /**
   * Starts polling. Returns at once; the server need not be up yet.
   *
   * @return this, for try-with-resources
   * @throws IllegalStateException when already started or closed
   */
  public RidleyWorker start() {
    runtime.start();
    return this;
  }

  /**
   * Stops gracefully: no more polls (a long poll in progress is cut short), running handlers finish
   * and report, then this returns. Handlers still running after {@code shutdownTimeout} are
   * interrupted, and their attempts left to the engine's timeouts. Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
  }

  public String workerId() {
    return settings.workerId();
  }

  public Set<String> stages() {
    return settings.handlers().keySet();
  }

  /**
   * Why this worker stopped polling on its own, if it did: the server refused its credentials
   * (401) or its stages (403, e.g. a key whose {@code stages} do not include one this worker
   * handles). Such a refusal does not pass by retrying, so the worker stops and says so here and
   * in its log.
   */
  public java.util.Optional<RidleyClientException> failure() {
    return runtime.failure();
  }

  public static final class Builder {
    private final URI server;
    private String workerId = defaultWorkerId();
    private int concurrency = DEFAULT_CONCURRENCY;
    private Duration pollWait = DEFAULT_POLL_WAIT;
    private Duration heartbeatInterval;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private ObjectMapper mapper;
    private EliotLog traceLog;
    private URI amqp;
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private java.util.function.Supplier<String> credentials;
    private javax.net.ssl.SSLContext ssl;

    private Builder(URI server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    /**
     * The API key sent with every request ({@code Authorization: Bearer}); its key must have the
     * role {@code worker} and, when its entry lists {@code stages}, every stage this worker
     * handles. Default: none.
     */
    public Builder apiKey(String apiKey) {
      this.credentials = Settings.apiKey(apiKey);
      return this;
    }

    /**
     * The TLS context for an {@code https} server whose certificate the JDK's trust store does not
     * know. Default: the JDK's.
     */
    public Builder sslContext(javax.net.ssl.SSLContext ssl) {
      this.ssl = Objects.requireNonNull(ssl, "ssl");
      return this;
    }

    /**
     * Gives the bearer token for each request (OIDC); called before every request, so it can
     * hand out a refreshed token. Default: none.
     */
    public Builder tokenSupplier(java.util.function.Supplier<String> tokens) {
      this.credentials = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** Names this worker in the server's task records. Default: host name and process id. */
    public Builder workerId(String workerId) {
      if (workerId == null || workerId.isBlank()) {
        throw new IllegalArgumentException("workerId must not be blank");
      }
      this.workerId = workerId;
      return this;
    }

    /** The most handlers in flight at once, across all stages. Default 10. */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How long the server may hold a poll open while it has no task. Longer means fewer requests
     * when idle; a task is handed out as soon as it is queued either way. Default 10 s.
     */
    public Builder pollWait(Duration pollWait) {
      this.pollWait = Settings.positive(pollWait, "pollWait");
      return this;
    }

    /**
     * How often a running attempt heartbeats. Default: a third of the stage's heartbeat timeout (so
     * two heartbeats may be lost before the engine gives up on the attempt), or 10 s for a stage
     * without one. Set explicitly, it applies to every stage and must stay below their heartbeat
     * timeouts.
     */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = Settings.positive(heartbeatInterval, "heartbeatInterval");
      return this;
    }

    /** How long one request may take (a poll gets pollWait on top). Default 30 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Settings.positive(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * How long {@link RidleyWorker#close()} waits for running handlers before interrupting them.
     * Default 30 s.
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Settings.positive(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    /**
     * The mapper for inputs ({@link TaskContext#input(Class)}) and outputs, not for the protocol
     * itself. Default: Jackson with java.time support, dates as ISO strings.
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Also writes what handlers log ({@link TaskContext#action()}) to this Eliot log, e.g. {@code
     * EliotLog.toFile(Path.of("worker.log"))}, to merge with other processes' logs ({@code ridley
     * tree}). Either way a handler's actions travel back with its result. Default: none.
     */
    public Builder traceLog(EliotLog log) {
      this.traceLog = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Also consumes tasks from RabbitMQ, e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2f}: the
     * stages this worker handles that a pipeline declares {@code transport: amqp} are consumed from
     * their queues ({@code ridley.tasks.<pipeline>.<stage>}) with a prefetch of {@code concurrency},
     * their heartbeats and results sent to {@code ridley.results}, and a delivery acked once its
     * result was confirmed by the broker. The other stages are polled over HTTP as usual. Which are
     * which the worker asks the server at start. Needs {@code dev.ridley:ridley-worker-amqp} on the
     * class path (the RabbitMQ client lives there, so HTTP workers never need it).
     *
     * @throws IllegalArgumentException when the URI is not {@code amqp://} or {@code amqps://}
     */
    public Builder amqp(URI broker) {
      Objects.requireNonNull(broker, "broker");
      if (!"amqp".equals(broker.getScheme()) && !"amqps".equals(broker.getScheme())) {
        throw new IllegalArgumentException("the broker URI must start with amqp:// or amqps://, was " + broker.getScheme() + "://...");
      }
      this.amqp = broker;
      return this;
    }

    /** Registers the handler of a stage; each stage has one. */
    public Builder handle(String stage, TaskHandler handler) {
      if (stage == null || stage.isBlank()) {
        throw new IllegalArgumentException("a stage name must not be blank");
      }
      Objects.requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(stage, handler) != null) {
        throw new IllegalArgumentException("stage " + stage + " already has a handler");
      }
      return this;
    }

    /**
     * @throws IllegalArgumentException without handlers, or when the server URI is not absolute
     *     http(s)
     * @throws IllegalStateException when {@link #amqp(URI)} was called without ridley-worker-amqp
     *     on the class path
     */
    public RidleyWorker build() {
      if (handlers.isEmpty()) {
        throw new IllegalArgumentException(
            "a worker needs at least one handler: call handle(stage, handler)");
      }
      if (amqp != null && dev.ridley.worker.internal.BrokerConsumers.find().isEmpty()) {
        throw new IllegalStateException("consuming over AMQP needs the module dev.ridley:ridley-worker-amqp"
            + " on the class path (it brings the RabbitMQ client); add it, or leave out amqp(...) to poll over HTTP");
      }
      return new RidleyWorker(
          new WorkerSettings(
              server,
              workerId,
              concurrency,
              pollWait,
              heartbeatInterval,
              requestTimeout,
              shutdownTimeout,
              handlers,
              mapper != null ? mapper : Json.newMapper(),
              traceLog,
              credentials,
              ssl,
              amqp));
    }

    private static String defaultWorkerId() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "worker";
      }
      return host + "-" + ProcessHandle.current().pid();
    }
  }
}
