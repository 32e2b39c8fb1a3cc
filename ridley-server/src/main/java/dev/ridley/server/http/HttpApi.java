package dev.ridley.server.http;

import dev.ridley.engine.Engine;
import dev.ridley.server.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ridley's HTTP API on Javalin (Jetty 12, virtual threads). Every route lives in one of the
 * route classes; this assembles them with the problem mapping, health and metrics.
 */
public final class HttpApi {

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
    Bodies bodies = new Bodies(maxPayloadBytes);
    List<Consumer<RouteTable>> parts = new ArrayList<>();
    parts.add(new ProcessRoutes(engine, bodies)::register);
    parts.add(new TaskRoutes(engine, bodies)::register);
    parts.add(new BatchTaskRoutes(engine, bodies)::register);
    parts.add(new PipelineRoutes(engine, bodies)::register);
    parts.add(new TreeRoutes(engine)::register);
    parts.addAll(extra);
    List<RouteTable.Entry> served = RouteTable.newList();
    Javalin app = Javalin.create(
        config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          // Bodies are bounded by Bodies itself, which answers 413 as problem+json.
          config.http.maxRequestSize = Long.MAX_VALUE;
          config.http.asyncTimeout = 0;
          Problems.register(config);
          RouteTable routes = new RouteTable(config, served);
          routes.get("/health", ctx -> health(ctx, engine, synchronousCommit));
          routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
          parts.forEach(p -> p.accept(routes));
        });
    return new Created(app, List.copyOf(served));
  }

  /** {@code durability}: {@code synchronous}, or {@code relaxed} when synchronous commit was turned off. */
  private static void health(Context ctx, Engine engine, boolean synchronousCommit) {
    boolean db = engine.operations().healthy();
    Replies.json(
        ctx,
        db ? 200 : 503,
        Json.object().put("status", db ? "UP" : "DOWN").put("database", db ? "UP" : "DOWN")
            .put("durability", synchronousCommit ? "synchronous" : "relaxed"));
  }
}
