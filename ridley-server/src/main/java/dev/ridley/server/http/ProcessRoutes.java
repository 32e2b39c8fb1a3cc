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
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskView;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** Starting, reading and searching processes. */
final class ProcessRoutes {

  private final Engine engine;
  private final Bodies bodies;

  ProcessRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.post("/api/v1/pipelines/{pipeline}/processes", this::start);
    routes.get("/api/v1/processes", this::search);
    routes.get("/api/v1/processes/{id}", this::get);
    routes.get("/api/v1/processes/{id}/events", this::events);
    routes.get("/api/v1/processes/{id}/tasks", this::tasks);
    routes.post("/api/v1/processes/replay", this::replayAll);
    routes.post("/api/v1/processes/{id}/replay", this::replay);
    routes.post("/api/v1/processes/{id}/cancel", this::cancel);
  }

  private void start(Context ctx) throws InterruptedException {
    String pipeline = ctx.pathParam("pipeline");
    engine.pipeline(pipeline); // 404 before reading a body meant for nobody
    JsonNode body = bodies.object(ctx);
    if (!body.has("payload")) {
      throw HttpProblem.badRequest("a start needs a 'payload' (any JSON value), e.g. {\"payload\": {\"x\": 1}}");
    }
    StartRequest req =
        new StartRequest(Bodies.text(body, "customId"), Bodies.text(body, "user"), body.get("payload"));
    StartResult r = awaitEnd(engine.processes().start(pipeline, req), waitParam(ctx));
    int status =
        switch (r.result()) {
          case CREATED -> 201;
          case ALREADY_EXISTS -> 200;
          case CONFLICT -> 409;
        };
    ObjectNode out = Json.object();
    out.put("result", r.result().name());
    out.set("process", Views.process(r.process()));
    if (r.result() == StartResult.Result.CONFLICT) {
      out.put("detail", "customId '" + req.customId() + "' is already used in pipeline '" + pipeline
          + "' by process " + r.process().id() + " with another payload; nothing was created");
    }
    if (r.result() == StartResult.Result.CREATED) {
      ctx.header("Location", "/api/v1/processes/" + r.process().id());
    }
    Replies.json(ctx, status, out);
  }

  /**
   * With {@code ?waitMs=N} a start answers once the process has ended, or after N ms with its
   * state then: handy for scripts and demos; workers still do the work.
   */
  private StartResult awaitEnd(StartResult r, long waitMs) throws InterruptedException {
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    ProcessView p = r.process();
    while (!p.status().isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      p = engine.processes().process(p.id()).orElse(p);
    }
    return new StartResult(r.result(), p);
  }

  private static long waitParam(Context ctx) {
    String w = ctx.queryParam("waitMs");
    if (w == null || w.isBlank()) {
      return 0;
    }
    try {
      long n = Long.parseLong(w.trim());
      if (n < 0 || n > 60_000) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'waitMs=" + w + "' must be a whole number of milliseconds from 0 to 60000");
    }
  }

  private void get(Context ctx) {
    Replies.json(ctx, 200, Views.process(find(ctx)));
  }

  private void events(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
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
    JsonNode body = bodies.object(ctx);
    ProcessView p = engine.operations().replay(id, Bodies.text(body, "fromStage"));
    Replies.json(ctx, 200, Json.object().set("process", Views.process(p)));
  }

  private void cancel(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    JsonNode body = bodies.object(ctx);
    ProcessView p = engine.operations().cancel(id, Bodies.text(body, "reason"));
    Replies.json(ctx, 200, Json.object().set("process", Views.process(p)));
  }

  private void replayAll(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode filter = body.path("filter");
    if (!filter.isObject()) {
      throw HttpProblem.badRequest(
          "a bulk replay needs a 'filter' object, e.g. {\"filter\": {\"pipeline\": \"divide\", \"status\": \"LOST\"}};"
              + " use {\"filter\": {}} to replay every FAILED, LOST and PARKED process");
    }
    Instant now = engine.clock().instant();
    ProcessQuery q = new ProcessQuery(
        Bodies.text(filter, "pipeline"),
        enumParam(ProcessStatus.class, "status", Bodies.text(filter, "status")),
        Bodies.text(filter, "user"),
        Bodies.text(filter, "customId"),
        Bodies.text(filter, "stage"),
        Bodies.instantOrAgo(Bodies.text(filter, "seenBefore"), "seenBefore", now),
        enumParam(LostReason.class, "lostReason", Bodies.text(filter, "lostReason")),
        Bodies.instantOrAgo(Bodies.text(filter, "createdAfter"), "createdAfter", now),
        Bodies.instantOrAgo(Bodies.text(filter, "createdBefore"), "createdBefore", now),
        ProcessQuery.MAX_LIMIT, null);
    int n = engine.operations().replayAll(q, Bodies.text(body, "fromStage"));
    Replies.json(ctx, 200, Json.object().put("replayed", n).put("count", n));
  }

  private void search(Context ctx) {
    ProcessQuery q = query(ctx, engine.clock().instant());
    ProcessPage page = engine.processes().search(q);
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (ProcessView p : page.items()) {
      items.add(Views.process(p));
    }
    out.put("nextCursor", page.nextCursor() == null ? null : page.nextCursor().toString());
    Replies.json(ctx, 200, out);
  }

  static ProcessQuery query(Context ctx, Instant now) {
    String limit = ctx.queryParam("limit");
    String cursor = ctx.queryParam("cursor");
    return new ProcessQuery(
        blankToNull(ctx.queryParam("pipeline")),
        enumParam(ProcessStatus.class, "status", ctx.queryParam("status")),
        blankToNull(ctx.queryParam("user")),
        blankToNull(ctx.queryParam("customId")),
        blankToNull(ctx.queryParam("stage")),
        Bodies.instantOrAgo(ctx.queryParam("seenBefore"), "seenBefore", now),
        enumParam(LostReason.class, "lostReason", ctx.queryParam("lostReason")),
        Bodies.instantOrAgo(ctx.queryParam("createdAfter"), "createdAfter", now),
        Bodies.instantOrAgo(ctx.queryParam("createdBefore"), "createdBefore", now),
        limit == null || limit.isBlank() ? 0 : positive(limit),
        cursor == null || cursor.isBlank() ? null : Bodies.uuid(cursor, "cursor (process)"));
  }

  private ProcessView find(Context ctx) {
    String raw = ctx.pathParam("id");
    UUID id = Bodies.uuid(raw, "process");
    return engine.processes().process(id).orElseThrow(() -> new NotFoundException("process", raw));
  }

  static <E extends Enum<E>> E enumParam(Class<E> type, String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("'" + name + "=" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static int positive(String limit) {
    try {
      int n = Integer.parseInt(limit.trim());
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'limit=" + limit + "' must be a whole number from 1 to " + ProcessQuery.MAX_LIMIT);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
