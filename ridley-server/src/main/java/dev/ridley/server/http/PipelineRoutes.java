package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;

/** Pipeline definitions with their live per-stage state; pause, resume and the line of a stage. */
final class PipelineRoutes {

  static final int DEFAULT_NEXT_LIMIT = 10;
  private static final Logger log = LoggerFactory.getLogger(PipelineRoutes.class);

  private final Engine engine;
  private final Bodies bodies;

  PipelineRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.get("/api/v1/pipelines", this::list);
    routes.get("/api/v1/pipelines/{name}", this::get);
    routes.post("/api/v1/pipelines/{name}/pause", ctx -> pauseOrResume(ctx, true));
    routes.post("/api/v1/pipelines/{name}/resume", ctx -> pauseOrResume(ctx, false));
    routes.get("/api/v1/pipelines/{name}/stages/{stage}/next", this::next);
  }

  private void list(Context ctx) {
    Strict.params(ctx, Set.of());
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (Pipeline p : engine.pipelines()) {
      items.add(view(p, ctx));
    }
    Replies.json(ctx, 200, out);
  }

  private void get(Context ctx) {
    Strict.params(ctx, Set.of());
    Replies.json(ctx, 200, view(engine.pipeline(ctx.pathParam("name")), ctx));
  }

  /** {@code {"stage": "..."}} pauses or resumes one stage; no stage means the whole pipeline. */
  private void pauseOrResume(Context ctx, boolean pause) {
    Pipeline p = engine.pipeline(ctx.pathParam("name")); // 404 before reading the body
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, pause ? "a pause" : "a resume", Set.of("stage"));
    String stage = Bodies.id(body, "stage");
    String actor = Guard.actor(ctx);
    if (pause) engine.operations().pause(p.name(), stage, actor);
    else engine.operations().resume(p.name(), stage, actor);
    if (actor != null) {
      log.info("{} {} {} of pipeline {}", actor, pause ? "paused" : "resumed",
          stage == null ? "every stage" : "stage " + stage, p.name());
    }
    Replies.json(ctx, 200, view(p, ctx));
  }

  private void next(Context ctx) {
    engine.pipeline(ctx.pathParam("name")); // 404 for an unknown pipeline
    Strict.params(ctx, Set.of("limit"));
    String limit = ctx.queryParam("limit");
    int n;
    try {
      n = limit == null ? DEFAULT_NEXT_LIMIT : Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'limit' must be a whole number, e.g. ?limit=20; was '" + Strict.printable(limit) + "'");
    }
    List<TaskView> tasks = engine.operations().nextTasks(ctx.pathParam("name"), ctx.pathParam("stage"), n);
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("tasks");
    tasks.forEach(t -> items.add(Views.task(t)));
    Replies.json(ctx, 200, out);
  }

  /**
   * The pipeline with its live state; a caller who sees only its own processes (a client) gets
   * the definition and the pauses, without the counts and workers, which cover everyone's.
   */
  private ObjectNode view(Pipeline p, Context ctx) {
    if (!Visibility.seesAll(Guard.caller(ctx))) {
      return Views.pipeline(p, new Views.StageState(Map.of(), engine.operations().paused(p.name()), Map.of()));
    }
    return Views.pipeline(
        p,
        new Views.StageState(
            engine.operations().stageCounts(p.name()), engine.operations().paused(p.name()), engine.operations().workersSeen(p.name())));
  }
}
