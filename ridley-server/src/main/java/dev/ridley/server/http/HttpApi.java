package dev.ridley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.Health;
import dev.ridley.engine.LoopHealth;
import dev.ridley.server.Json;
import dev.ridley.server.auth.Security;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Ridley's HTTP API on Javalin (Jetty 12, virtual threads). Every route lives in one of the
 * route classes; this assembles them with the problem mapping, health and metrics.
 */
public final class HttpApi {

  /** How long a stop waits for the requests in flight (reports, most of all) to finish. */
  public static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private HttpApi() {}

  /** A created, not yet started, HTTP server and the routes it serves. */
  public record Created(Javalin app, List<RouteTable.Entry> routes) {}

  /**
   * Creates (does not start) the HTTP server.
   *
   * @param extra further routes, e.g. the dashboard's, registered after the API's
   */
  public static Created create(
      Engine engine, PrometheusMeterRegistry metrics, long maxPayloadBytes, boolean synchronousCommit,
      List<Consumer<RouteTable>> extra) {
    return create(engine, metrics, maxPayloadBytes, synchronousCommit, List::of, extra);
  }

  /**
   * Creates (does not start) the HTTP server.
   *
   * @param serverLoops the server's own background loops (e.g. the Eliot log), shown in /health
   *     with the engine's
   * @param extra further routes, e.g. the dashboard's, registered after the API's
   */
  public static Created create(
      Engine engine, PrometheusMeterRegistry metrics, long maxPayloadBytes, boolean synchronousCommit,
      Supplier<List<LoopHealth>> serverLoops, List<Consumer<RouteTable>> extra) {
    return create(engine, metrics, maxPayloadBytes, synchronousCommit, serverLoops, extra, Security.off(), null);
  }

  /**
   * Creates (does not start) the HTTP server.
   *
   * @param serverLoops the server's own background loops (e.g. the Eliot log), shown in /health
   *     with the engine's
   * @param extra further routes, e.g. the dashboard's, registered after the API's
   * @param security who may call, from where ({@link Security#off()}: anyone on this machine)
   * @param amqp the broker's state for /health: whether this node is connected to RabbitMQ
   *     ({@code UP} or {@code DOWN}); null when no broker is configured (the field is left out)
   */
  public static Created create(
      Engine engine, PrometheusMeterRegistry metrics, long maxPayloadBytes, boolean synchronousCommit,
      Supplier<List<LoopHealth>> serverLoops, List<Consumer<RouteTable>> extra, Security security,
      BooleanSupplier amqp) {
    Bodies bodies = new Bodies(maxPayloadBytes);
    List<Consumer<RouteTable>> parts = new ArrayList<>();
    parts.add(new StartRoutes(engine, bodies)::register);
    parts.add(new ProcessRoutes(engine, bodies)::register);
    parts.add(new BatchStartRoutes(engine, bodies)::register);
    parts.add(new SessionRoutes(security, bodies)::register);
    parts.add(new TaskRoutes(engine, bodies)::register);
    parts.add(new BatchTaskRoutes(engine, bodies)::register);
    parts.add(new PipelineRoutes(engine, bodies)::register);
    parts.add(new TreeRoutes(engine)::register);
    parts.addAll(extra);
    List<RouteTable.Entry> served = RouteTable.newList();
    java.util.concurrent.atomic.AtomicReference<Javalin> created = new java.util.concurrent.atomic.AtomicReference<>();
    Javalin app = Javalin.create(
        config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          // Bodies are bounded by Bodies itself, which answers 413 as problem+json.
          config.http.maxRequestSize = Long.MAX_VALUE;
          config.http.asyncTimeout = 0;
          // A stop lets the requests in flight finish (reports above all) and refuses new ones.
          config.jetty.modifyServletContextHandler(h -> h.insertHandler(new GracefulHandler()));
          config.jetty.modifyServer(server -> {
            server.setStopTimeout(STOP_WAIT.toMillis());
            server.setErrorHandler(new Problems.JettyErrors());
          });
          config.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new Problems.JettyErrors()));
          // Once the listeners exist and before they bind: room for a burst of new connections.
          config.events.serverStarting(() -> acceptQueue(created.get()));
          if (security.https() != null) {
            Security.HttpsListener https = security.https();
            config.jetty.addConnector((server, httpConfig) -> Tls.connector(server, httpConfig, https));
          }
          // A known path with another method is 405 with Allow, not 404.
          config.http.prefer405over404 = true;
          Problems.register(config);
          RequestMetrics requests = new RequestMetrics(metrics);
          config.requestLogger.http(requests::record);
          Guard guard = new Guard(security);
          config.routes.before(guard::edge);
          config.routes.beforeMatched(guard::access);
          // Lines logged while answering a request on a process or task carry its id.
          config.routes.before("/api/*", RequestIds::before);
          config.routes.after("/api/*", RequestIds::after);
          config.routes.before("/api/*", HttpApi::acceptable);
          RouteTable routes = new RouteTable(config, served);
          routes.get("/health", ctx -> health(ctx, engine, synchronousCommit, serverLoops, amqp));
          routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
          parts.forEach(p -> p.accept(routes));
        });
    created.set(app);
    return new Created(app, List.copyOf(served));
  }

  /**
   * Connections the kernel may hold for a listener before it accepts them. Jetty passes none, so
   * the JDK's default of 50 applies: a burst of new connections (hundreds of clients starting at
   * once, or a cold node whose acceptor lags) overflowed it, and each overflowed client saw its
   * connection closed without an answer, not knowing whether its start was taken. The kernel caps
   * it at {@code net.core.somaxconn} (4096 on current Linux).
   */
  static final int ACCEPT_QUEUE = 1024;

  private static void acceptQueue(Javalin app) {
    for (var connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof org.eclipse.jetty.server.ServerConnector listener) {
        listener.setAcceptQueueSize(ACCEPT_QUEUE);
      }
    }
  }

  /**
   * 406 unless the Accept header (when given) takes JSON, or, for a tree, one of its renderings;
   * problem+json counts as JSON.
   */
  private static void acceptable(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || accept.isBlank()) return;
    boolean tree = ctx.path().endsWith("/tree");
    for (String range : accept.split(",")) {
      String[] parts = range.split(";", -1);
      String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String q = parts[i].trim().replace(" ", "");
        if (q.equals("q=0") || q.matches("q=0\\.0*")) refused = true;
      }
      if (refused) continue;
      switch (type) {
        case "*/*", "application/*", "application/json", "application/problem+json":
          return;
        case "text/plain", "text/*", TreeRoutes.ELIOT_LINES, "application/jsonl", "application/json-lines",
            "application/x-jsonlines":
          if (tree) return;
          break;
        default:
          break;
      }
    }
    throw new HttpProblem(406, "Not acceptable", "this endpoint answers application/json"
        + (tree ? ", text/plain or " + TreeRoutes.ELIOT_LINES : "") + "; the Accept header '"
        + Strict.printable(accept) + "' takes none of them");
  }

  /**
   * {@code status}: {@code UP}; {@code DEGRADED} (still 200) when the database takes writes but a
   * background loop is failing (it keeps retrying; see {@code loops}); {@code DOWN} (503) when the
   * database does not take a write. {@code database}: {@code UP} or {@code DOWN}, with {@code
   * databaseProblem} when down. {@code durability}: {@code synchronous}, or {@code relaxed} when
   * synchronous commit was turned off. {@code loops}: each background loop, {@code UP} or {@code
   * DOWN}. {@code amqp}: {@code UP} or {@code DOWN} when a broker is configured.
   */
  private static void health(
      Context ctx, Engine engine, boolean synchronousCommit, Supplier<List<LoopHealth>> serverLoops,
      BooleanSupplier amqp) {
    Health h = engine.operations().health();
    List<LoopHealth> loops = new ArrayList<>(h.loops());
    loops.addAll(serverLoops.get());
    boolean loopsUp = loops.stream().noneMatch(LoopHealth::failing);
    String status = !h.databaseWritable() ? "DOWN" : loopsUp ? "UP" : "DEGRADED";
    ObjectNode body = Json.object().put("status", status).put("database", h.databaseWritable() ? "UP" : "DOWN");
    if (!h.databaseWritable()) body.put("databaseProblem", h.databaseProblem());
    body.put("durability", synchronousCommit ? "synchronous" : "relaxed");
    // The broker only carries copies: its being down changes neither the status nor the code.
    if (amqp != null) body.put("amqp", amqp.getAsBoolean() ? "UP" : "DOWN");
    ObjectNode loopStates = body.putObject("loops");
    loops.forEach(l -> loopStates.put(l.name(), l.status()));
    Replies.json(ctx, h.databaseWritable() ? 200 : 503, body);
  }
}
