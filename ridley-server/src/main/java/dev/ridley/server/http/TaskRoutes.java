package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.TaskResult;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The worker protocol: poll, heartbeat, complete, fail. */
final class TaskRoutes {

  private final Engine engine;
  private final Bodies bodies;

  TaskRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.post("/api/v1/tasks/poll", this::poll);
    routes.post("/api/v1/tasks/{id}/heartbeat", this::heartbeat);
    routes.post("/api/v1/tasks/{id}/complete", this::complete);
    routes.post("/api/v1/tasks/{id}/fail", this::fail);
  }

  private void poll(Context ctx) throws InterruptedException {
    JsonNode body = bodies.object(ctx);
    List<String> stages = new ArrayList<>();
    JsonNode s = body.get("stages");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        throw HttpProblem.badRequest("'stages' must be a list of stage names, e.g. [\"divide\"]");
      }
      s.forEach(n -> stages.add(n.asText()));
    }
    String worker = Bodies.text(body, "worker");
    ClientPresence client = ClientPresence.of(ctx);
    List<ClaimedTask> tasks = engine.workers().poll(
        worker, stages, Bodies.integer(body, "max", 1), Duration.ofMillis(Bodies.integer(body, "waitMs", 0)),
        client::present);
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("tasks");
    tasks.forEach(t -> items.add(Views.claimed(t)));
    if (client.readAhead()) ctx.header("Connection", "close");
    if (tasks.isEmpty()) {
      Replies.json(ctx, 200, out);
      return;
    }
    List<UUID> ids = tasks.stream().map(ClaimedTask::id).toList();
    if (!client.present()) {
      engine.workers().release(worker, ids, RELEASED_GONE);
      return;
    }
    // Written here rather than after the handler, so a failed write is seen: the tasks are then
    // put back at once instead of waiting for their pollToEnd timer.
    byte[] answer = Json.write(out).getBytes(StandardCharsets.UTF_8);
    try {
      ctx.status(200).contentType("application/json");
      ctx.res().setContentLength(answer.length);
      OutputStream stream = ctx.res().getOutputStream();
      stream.write(answer);
      stream.flush();
    } catch (IOException | RuntimeException e) {
      engine.workers().release(worker, ids, RELEASED_UNDELIVERED);
    }
  }

  /** The reasons journaled with a released task ({@code task.released}). */
  static final String RELEASED_GONE = "the poll's client went away before its answer was sent";

  static final String RELEASED_UNDELIVERED = "the poll's answer could not be delivered";

  private void heartbeat(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    bodies.json(ctx); // details are accepted and not stored yet
    engine.workers().heartbeat(id);
    Replies.json(ctx, 200, Json.object().put("status", "RUNNING"));
  }

  private void complete(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    JsonNode body = bodies.object(ctx);
    reply(ctx, engine.workers().complete(id, Bodies.text(body, "outcome"), body.get("output"), body.get("actions")));
  }

  private void fail(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    JsonNode body = bodies.object(ctx);
    JsonNode e = body.get("error");
    if (e == null || !e.isObject() || Bodies.text(e, "type") == null || Bodies.text(e, "type").isBlank()) {
      throw HttpProblem.badRequest(
          "a failure needs an 'error' object with a 'type', e.g. {\"error\": {\"type\": \"ValueError\", \"message\": \"...\"}}");
    }
    ErrorInfo error = new ErrorInfo(Bodies.text(e, "type"), Bodies.text(e, "message"), Bodies.text(e, "stack"));
    reply(ctx, engine.workers().fail(id, error, Bodies.bool(body, "retryable", true), body.get("actions")));
  }

  private static void reply(Context ctx, TaskResult r) {
    ObjectNode out = Json.object();
    out.set("task", Views.task(r.task()));
    out.set("process", Views.process(r.process()));
    Replies.json(ctx, 200, out);
  }
}
