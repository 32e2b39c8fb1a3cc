package dev.ridley.server;

import dev.ridley.engine.Engine;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.server.auth.Security;
import dev.ridley.server.amqp.AmqpTransport;
import dev.ridley.server.config.ConfigException;
import dev.ridley.server.config.ServerConfig;
import dev.ridley.server.dashboard.Dashboard;
import dev.ridley.server.db.Database;
import dev.ridley.server.http.HttpApi;
import dev.ridley.server.metrics.EngineMetrics;
import dev.ridley.server.metrics.StageGauges;
import dev.ridley.server.http.RouteTable;
import dev.ridley.server.trace.EliotJournalLog;
import dev.ridley.server.trace.OtlpTraces;
import dev.ridley.server.notify.WebhookDelivery;
import java.time.Duration;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ridley node: database, engine and HTTP API. Start with {@link #start(ServerConfig)};
 * close to stop. Nodes are stateless; any number may share one database.
 */
public final class RidleyServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RidleyServer.class);

  private final Database database;
  private final Engine engine;
  private final Javalin http;
  private final List<Pipeline> pipelines;
  private final List<RouteTable.Entry> routes;
  private volatile StageGauges gauges;
  private volatile EliotJournalLog eliotLog;
  private volatile OtlpTraces otlpTraces;
  private volatile WebhookDelivery webhooks;
  private volatile AmqpTransport amqp;
  private volatile boolean closed;
  private volatile boolean https;

  private RidleyServer(
      Database database, Engine engine, Javalin http, List<Pipeline> pipelines, List<RouteTable.Entry> routes) {
    this.routes = routes;
    this.database = database;
    this.engine = engine;
    this.http = http;
    this.pipelines = pipelines;
  }

  /** Loads the pipelines, opens the database, migrates it and serves HTTP. Fails fast on bad input. */
  public static RidleyServer start(ServerConfig config) {
    return start(config, Map.of());
  }

  /**
   * As {@link #start(ServerConfig)}, with OpenTelemetry settings ({@code otel.*} names) that apply
   * where the {@code OTEL_*} environment variables and {@code otel.*} system properties do not set
   * them: for embedding Ridley and for tests.
   */
  public static RidleyServer start(ServerConfig config, Map<String, String> otel) {
    List<Pipeline> pipelines = PipelineLoader.loadDirectory(config.pipelines());
    Security security = SecuritySetup.of(config);
    requireBrokerFor(pipelines, config);
    if (!config.dbSynchronousCommit()) {
      log.warn("RIDLEY_DB_SYNCHRONOUS_COMMIT=off: answers no longer wait for the disk; an acknowledged"
          + " start or report can be lost if PostgreSQL or the machine crashes");
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two JVM meters fail Prometheus's own lint: a unit in the name (ns), and a gauge named like
    // a histogram's count; process_cpu_usage and the JVM's own metrics cover them.
    metrics.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
    Database database = Database.open(config, metrics);
    Engine engine = null;
    StageGauges gauges = null;
    OtlpTraces traces = null;
    AmqpTransport broker = null;
    try {
      Engine.migrate(database.dataSource());
      engine = Engine.builder(database.dataSource())
          .pipelines(pipelines)
          .observer(new EngineMetrics(metrics))
          .listenConnections(database::openUnpooled)
          .defaultRetention(config.retention())
          .build();
      engine.startSweeper(config.sweepInterval());
      gauges = new StageGauges(engine, metrics);
      new JvmMemoryMetrics().bindTo(metrics);
      new JvmThreadMetrics().bindTo(metrics);
      new JvmGcMetrics().bindTo(metrics);
      new ProcessorMetrics().bindTo(metrics);
      EliotJournalLog[] eliot = new EliotJournalLog[1];
      // Before HTTP starts: OTEL_* settings that cannot be used stop the node like any bad setting.
      traces = OtlpTraces.startIfConfigured(engine, otel, Duration.ofSeconds(1)).orElse(null);
      OtlpTraces[] otlp = {traces};
      WebhookDelivery[] hooks = new WebhookDelivery[1];
      StageGauges stageGauges = gauges;
      broker = config.amqpUrl() == null ? null
          : AmqpTransport.start(config.amqpUrl(), engine, pipelines);
      if (broker != null) broker.bindTo(metrics);
      Supplier<List<LoopHealth>> serverLoops = () -> {
        List<LoopHealth> loops = new java.util.ArrayList<>(List.of(stageGauges.health()));
        if (eliot[0] != null) loops.add(eliot[0].health());
        if (otlp[0] != null) loops.add(otlp[0].health());
        if (hooks[0] != null) loops.add(hooks[0].health());
        return loops;
      };
      HttpApi.Created created = HttpApi.create(engine, metrics, config.maxPayloadBytes(), config.dbSynchronousCommit(),
          serverLoops, List.of(new Dashboard(engine)::register), security, amqpUp(broker));
      Javalin http = created.app();
      if (security.https() != null) http.start();
      else http.start(config.bind(), config.httpPort());
      log.info(
          "Ridley listening on {}://{}:{} with pipelines {}; {}",
          security.https() != null ? "https" : "http", config.bind(), http.port(),
          pipelines.stream().map(Pipeline::name).toList(), security.enabled()
              ? "callers must authenticate" : "authentication is off: anyone who reaches the port may do anything");
      log.info("ended processes are kept {}", config.retention() == null
          ? "forever (RIDLEY_RETENTION is unset), unless a pipeline sets its own retention"
          : Durations.format(config.retention()) + " after they end (RIDLEY_RETENTION), unless a pipeline sets its own retention");
      RidleyServer server = new RidleyServer(database, engine, http, pipelines, created.routes());
      server.https = security.https() != null;
      server.gauges = gauges;
      server.amqp = broker;
      if (config.eliotLog() != null) {
        server.eliotLog = EliotJournalLog.start(engine, config.eliotLog(), Duration.ofSeconds(1));
        eliot[0] = server.eliotLog;
      }
      server.otlpTraces = traces;
      if (pipelines.stream().anyMatch(p -> p.webhook() != null)) {
        server.webhooks = WebhookDelivery.start(engine, WebhookDelivery.Policy.DEFAULT, Duration.ofMillis(500));
        hooks[0] = server.webhooks;
      }
      return server;
    } catch (RuntimeException e) {
      if (traces != null) traces.close();
      if (broker != null) broker.close();
      if (gauges != null) gauges.close();
      if (engine != null) engine.close();
      database.close();
      throw e;
    }
  }

  private static java.util.function.BooleanSupplier amqpUp(AmqpTransport broker) {
    return broker == null ? null : broker::up;
  }

  /**
   * A pipeline with an amqp stage needs a broker: without {@code RIDLEY_AMQP_URL} the server does
   * not start, and says which file asked for it.
   */
  private static void requireBrokerFor(List<Pipeline> pipelines, ServerConfig config) {
    if (config.amqpUrl() != null) return;
    for (Pipeline p : pipelines) {
      for (var s : p.stages()) {
        if (s.brokered()) {
          throw new ConfigException("pipeline file " + p.source() + " asks for 'transport: amqp' (stage '"
              + s.name() + "' of pipeline '" + p.name() + "'), but " + ServerConfig.ENV_AMQP_URL + " is unset;"
              + " set " + ServerConfig.ENV_AMQP_URL + " to your RabbitMQ, e.g. amqp://guest:guest@127.0.0.1:5672/%2f,"
              + " or write 'transport: http' in " + p.source());
        }
      }
    }
  }

  public Engine engine() {
    return engine;
  }

  /** The database this node uses, for tools and tests that look at it directly. */
  public DataSource dataSource() {
    return database.dataSource();
  }

  public int port() {
    return http.port();
  }

  public URI uri() {
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + http.port());
  }

  /** Every route this node serves. */
  public List<RouteTable.Entry> routes() {
    return routes;
  }

  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /**
   * Stops the node gracefully: long polls waiting here answer with no tasks at once and new polls
   * get none ({@link Engine#drain()}); the HTTP server stops taking connections and lets the
   * requests in flight finish (reports included, up to {@link HttpApi#STOP_WAIT}); then the Eliot log,
   * the sweeper and the wake-up connections stop, and last the connection pool and the embedded
   * PostgreSQL (a fast, clean shutdown). Safe to call more than once.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    log.info("Ridley stopping: no new work is handed out; requests in flight finish");
    engine.drain();
    http.stop();
    if (amqp != null) amqp.close();
    if (eliotLog != null) eliotLog.close();
    if (otlpTraces != null) otlpTraces.close();
    if (webhooks != null) webhooks.close();
    if (gauges != null) gauges.close();
    engine.close();
    database.close();
    log.info("Ridley stopped");
  }
}
