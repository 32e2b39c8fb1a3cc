package dev.ridley.server.dashboard;

import dev.ridley.engine.Engine;
import dev.ridley.server.http.RouteTable;

/**
 * The web dashboard: static pages served from the jar on the API's port, plus the read-only
 * aggregates only the dashboard needs. The pages are plain HTML, CSS and JavaScript modules that
 * call the public HTTP API; there is no server-side rendering and no build step.
 *
 * <pre>{@code
 * HttpApi.create(engine, metrics, maxPayloadBytes, List.of(new Dashboard(engine)::register));
 * }</pre>
 */
public final class Dashboard {

  private final Assets assets = new Assets();
  private final Throughput throughput;

  public Dashboard(Engine engine) {
    this.throughput = new Throughput(engine);
  }

  /** Registers the pages, their assets and the dashboard's aggregate API routes. */
  public void register(RouteTable routes) {
    routes.get("/", ctx -> assets.serve(ctx, "overview.html"));
    routes.get("/processes", ctx -> assets.serve(ctx, "processes.html"));
    // The stable, shareable URL of a process; the page reads the id from its own path.
    routes.get("/processes/{id}", ctx -> assets.serve(ctx, "process.html"));
    routes.get("/assets/{file}", ctx -> assets.serve(ctx, ctx.pathParam("file")));
    routes.get("/favicon.ico", ctx -> assets.serve(ctx, "favicon.svg"));
    // Takes a key (or a token) and leaves a session cookie; see SessionRoutes.
    routes.get("/signin", ctx -> assets.serve(ctx, "signin.html"));
    routes.get(Throughput.PATH, throughput::handle);
  }
}
