package dev.ridley.server;

import dev.ridley.engine.Engine;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
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
  private volatile AmqpTransport amqp;
  private volatile boolean closed;

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
    List<Pipeline> pipelines = PipelineLoader.loadDirectory(config.pipelines());
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
      StageGauges stageGauges = gauges;
      Supplier<List<LoopHealth>> serverLoops = () -> eliot[0] == null
          ? List.of(stageGauges.health()) : List.of(stageGauges.health(), eliot[0].health());
      broker = config.amqpUrl() == null ? null
          : AmqpTransport.start(config.amqpUrl(), engine, pipelines);
      if (broker != null) broker.bindTo(metrics);
      HttpApi.Created created = HttpApi.create(engine, metrics, config.maxPayloadBytes(), config.dbSynchronousCommit(),
          serverLoops, List.of(new Dashboard(engine)::register), amqpUp(broker));
      Javalin http = created.app();
      http.start(config.bind(), config.httpPort());
      log.info(
          "Ridley listening on http://{}:{} with pipelines {}",
          config.bind(), http.port(), pipelines.stream().map(Pipeline::name).toList());
      log.info("ended processes are kept {}", config.retention() == null
          ? "forever (RIDLEY_RETENTION is unset), unless a pipeline sets its own retention"
          : Durations.format(config.retention()) + " after they end (RIDLEY_RETENTION), unless a pipeline sets its own retention");
      RidleyServer server = new RidleyServer(database, engine, http, pipelines, created.routes());
      server.gauges = gauges;
      server.amqp = broker;
      if (config.eliotLog() != null) {
        server.eliotLog = EliotJournalLog.start(engine, config.eliotLog(), Duration.ofSeconds(1));
        eliot[0] = server.eliotLog;
      }
      return server;
    } catch (RuntimeException e) {
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
    return URI.create("http://127.0.0.1:" + http.port());
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
    if (gauges != null) gauges.close();
    engine.close();
    database.close();
    log.info("Ridley stopped");
  }
}
