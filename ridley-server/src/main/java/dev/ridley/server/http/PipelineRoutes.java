package dev.ridley.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.store.Json;
import io.javalin.http.Context;

/** Pipeline definitions with their live per-stage counts. */
final class PipelineRoutes {

  private final Engine engine;

  PipelineRoutes(Engine engine) {
    this.engine = engine;
  }

  void register(RouteTable routes) {
    routes.get("/api/v1/pipelines", this::list);
    routes.get("/api/v1/pipelines/{name}", this::get);
  }

  private void list(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (Pipeline p : engine.pipelines()) {
      items.add(Views.pipeline(p, engine.stageCounts(p.name())));
    }
    Replies.json(ctx, 200, out);
  }

  private void get(Context ctx) {
    Pipeline p = engine.pipeline(ctx.pathParam("name"));
    Replies.json(ctx, 200, Views.pipeline(p, engine.stageCounts(p.name())));
  }
}
