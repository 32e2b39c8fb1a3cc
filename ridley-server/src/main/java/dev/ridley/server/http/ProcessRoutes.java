package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ProcessPage;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.pipeline.DidYouMean;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.server.Json;
import dev.ridley.server.auth.Principal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Reading, searching, replaying and cancelling processes. */
final class ProcessRoutes {

  private final Engine engine;
  private final Bodies bodies;

  ProcessRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.get("/api/v1/processes", this::search);
    routes.get("/api/v1/processes/{id}", this::get);
    routes.get("/api/v1/processes/{id}/events", this::events);
    routes.get("/api/v1/processes/{id}/tasks", this::tasks);
    routes.post("/api/v1/processes/replay", this::replayAll);
    routes.post("/api/v1/processes/{id}/replay", this::replay);
    routes.post("/api/v1/processes/{id}/cancel", this::cancel);
  }

  static final Set<String> SEARCH_PARAMS = Set.of("pipeline", "status", "user", "customId", "stage", "seenBefore",
      "lostReason", "createdAfter", "createdBefore", "limit", "cursor");
  static final Set<String> FILTER_KEYS = Set.of("pipeline", "status", "user", "customId", "stage", "seenBefore",
      "lostReason", "createdAfter", "createdBefore");

  private void get(Context ctx) {
    Strict.params(ctx, Set.of());
    Replies.json(ctx, 200, Views.process(find(ctx)));
  }

  private void events(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    Strict.params(ctx, Set.of());
    Visibility.check(ctx, engine, id);
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (JournalEvent e : engine.processes().events(id)) {
      items.add(Views.event(e));
    }
    ObjectNode out = Json.object();
    out.put("processId", id.toString());
    out.set("events", items);
    Replies.json(ctx, 200, out);
  }

  private void tasks(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    Strict.params(ctx, Set.of());
    Visibility.check(ctx, engine, id);
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (TaskView t : engine.processes().tasks(id)) {
      items.add(Views.task(t));
    }
    ObjectNode out = Json.object();
    out.set("tasks", items);
    Replies.json(ctx, 200, out);
  }

  private void replay(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a replay", Set.of("fromStage"));
    ProcessView p = engine.operations().replay(id, Bodies.id(body, "fromStage"), Guard.actor(ctx));
    Replies.json(ctx, 200, Json.object().set("process", Views.process(p)));
  }

  private void cancel(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a cancel", Set.of("reason"));
    ProcessView p = engine.operations().cancel(id, Bodies.text(body, "reason"), Guard.actor(ctx));
    Replies.json(ctx, 200, Json.object().set("process", Views.process(p)));
  }

  private void replayAll(Context ctx) {
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a bulk replay", Set.of("filter", "all", "fromStage"));
    boolean all = Bodies.bool(body, "all", false);
    JsonNode filter = body.path("filter");
    if (filter.isMissingNode() && all) {
      filter = Json.object();
    }
    if (!filter.isObject()) {
      throw HttpProblem.badRequest(
          "a bulk replay needs a 'filter' object, e.g. {\"filter\": {\"pipeline\": \"divide\", \"status\": \"LOST\"}};"
              + " use {\"filter\": {}, \"all\": true} to replay every FAILED, LOST and PARKED process");
    }
    Strict.keys(filter, "the bulk replay's 'filter'", FILTER_KEYS);
    Instant now = engine.clock().instant();
    ProcessQuery q = new ProcessQuery(
        pipelineParam(Bodies.text(filter, "pipeline")),
        enumParam(ProcessStatus.class, "status", Bodies.text(filter, "status")),
        Bodies.id(filter, "user"),
        Bodies.id(filter, "customId"),
        stageParam(Bodies.text(filter, "pipeline"), Bodies.text(filter, "stage")),
        Bodies.instantOrAgo(Bodies.text(filter, "seenBefore"), "seenBefore", now),
        enumParam(LostReason.class, "lostReason", Bodies.text(filter, "lostReason")),
        Bodies.instantOrAgo(Bodies.text(filter, "createdAfter"), "createdAfter", now),
        Bodies.instantOrAgo(Bodies.text(filter, "createdBefore"), "createdBefore", now),
        ProcessQuery.MAX_LIMIT, null);
    String fromStage = Bodies.text(body, "fromStage");
    // fromStage needs a pipeline in the filter (the engine says so), so it never selects everything
    if (!all && fromStage == null && selectsEverything(q)) {
      throw HttpProblem.badRequest("this bulk replay's filter selects every FAILED, LOST and PARKED process;"
          + " narrow the filter, or say so with {\"filter\": {}, \"all\": true}");
    }
    int n = engine.operations().replayAll(q, fromStage, Guard.actor(ctx));
    Replies.json(ctx, 200, Json.object().put("replayed", n).put("count", n));
  }

  private static boolean selectsEverything(ProcessQuery q) {
    return q.pipeline() == null && q.status() == null && q.user() == null && q.customId() == null && q.stage() == null
        && q.seenBefore() == null && q.lostReason() == null && q.createdAfter() == null && q.createdBefore() == null;
  }

  private void search(Context ctx) {
    ProcessQuery q = query(ctx, engine.clock().instant());
    Principal caller = Guard.caller(ctx);
    // Pushed into the query, so pages and cursors count only the processes the caller may see.
    ProcessPage page = Visibility.seesAll(caller) ? engine.processes().search(q) : engine.processes().search(q, caller.name());
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (ProcessView p : page.items()) {
      items.add(Views.process(p));
    }
    out.put("nextCursor", page.nextCursor() == null ? null : page.nextCursor().toString());
    Replies.json(ctx, 200, out);
  }

  private ProcessQuery query(Context ctx, Instant now) {
    Strict.params(ctx, SEARCH_PARAMS);
    String limit = ctx.queryParam("limit");
    String cursor = ctx.queryParam("cursor");
    String pipeline = ctx.queryParam("pipeline");
    return new ProcessQuery(
        pipelineParam(pipeline),
        enumParam(ProcessStatus.class, "status", ctx.queryParam("status")),
        Strict.id(ctx.queryParam("user"), "user"),
        Strict.id(ctx.queryParam("customId"), "customId"),
        stageParam(pipeline, ctx.queryParam("stage")),
        Bodies.instantOrAgo(ctx.queryParam("seenBefore"), "seenBefore", now),
        enumParam(LostReason.class, "lostReason", ctx.queryParam("lostReason")),
        Bodies.instantOrAgo(ctx.queryParam("createdAfter"), "createdAfter", now),
        Bodies.instantOrAgo(ctx.queryParam("createdBefore"), "createdBefore", now),
        limit == null ? 0 : limitParam(limit),
        cursor == null ? null : Bodies.uuid(cursor, "cursor (process)"));
  }

  /** A pipeline filter: one that is loaded, or 404 (as every endpoint that takes a pipeline). */
  private String pipelineParam(String name) {
    if (name == null) return null;
    return engine.pipeline(name).name();
  }

  /** A stage filter: a stage of the pipeline filtered on, or of some loaded pipeline; else 400. */
  private String stageParam(String pipeline, String stage) {
    if (stage == null) return null;
    Strict.id(stage, "stage");
    List<String> stages = pipeline != null
        ? engine.pipeline(pipeline).stages().stream().map(Stage::name).toList()
        : engine.pipelines().stream().flatMap(p -> p.stages().stream()).map(Stage::name).distinct().toList();
    if (!stages.contains(stage)) {
      throw HttpProblem.badRequest("'stage=" + Strict.printable(stage) + "' is not a stage of "
          + (pipeline != null ? "pipeline '" + pipeline + "'" : "any loaded pipeline")
          + DidYouMean.hint(stage, stages) + "; stages: " + String.join(", ", stages));
    }
    return stage;
  }

  private ProcessView find(Context ctx) {
    String raw = ctx.pathParam("id");
    UUID id = Bodies.uuid(raw, "process");
    return Visibility.check(ctx, engine, engine.processes().process(id).orElseThrow(() -> new NotFoundException("process", raw)), raw);
  }

  /** An enum value, spelt exactly as documented (RUNNING), or 400 listing the allowed ones. */
  static <E extends Enum<E>> E enumParam(Class<E> type, String name, String value) {
    if (value == null) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(value)) return e;
    }
    throw HttpProblem.badRequest("'" + name + "=" + Strict.printable(value) + "' is not one of "
        + Arrays.toString(type.getEnumConstants()) + " (spelt exactly so)");
  }

  private static int limitParam(String limit) {
    try {
      int n = Integer.parseInt(limit);
      if (n < 1 || n > ProcessQuery.MAX_LIMIT) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'limit=" + Strict.printable(limit) + "' must be a whole number from 1 to " + ProcessQuery.MAX_LIMIT);
    }
  }
}
