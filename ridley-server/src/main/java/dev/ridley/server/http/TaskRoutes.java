package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.TaskResult;
import dev.ridley.server.Json;
import dev.ridley.server.auth.Principal;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a poll", POLL_KEYS);
    List<String> stages = new ArrayList<>();
    JsonNode s = body.get("stages");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        throw HttpProblem.badRequest("'stages' must be a list of stage names, e.g. [\"divide\"]");
      }
      for (JsonNode n : s) {
        if (!n.isTextual()) {
          throw HttpProblem.badRequest("'stages' must be a list of stage names (strings), e.g. [\"divide\"]; it holds " + n);
        }
        stages.add(Strict.id(n.textValue(), "stages"));
      }
    }
    Principal caller = Guard.caller(ctx);
    if (!caller.anonymous() && !caller.stages().isEmpty() && !caller.has(dev.ridley.server.auth.Role.ADMIN)) {
      if (stages.isEmpty()) stages.addAll(caller.stages());
      List<String> forbidden = caller.forbiddenStages(stages);
      if (!forbidden.isEmpty()) {
        throw new HttpProblem(403, "Forbidden", "'" + caller.name() + "' may not poll the stage"
            + (forbidden.size() > 1 ? "s " : " ") + String.join(", ", forbidden) + "; its key allows "
            + String.join(", ", caller.stages().stream().sorted().toList()));
      }
    }
    String worker = Bodies.id(body, "worker");
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

  /**
   * 403 when the caller's key names the stages it may work on and the task is at another; a task
   * that does not exist is left to the engine's 404.
   */
  static void mayReport(Context ctx, Engine engine, UUID taskId) {
    Principal caller = Guard.caller(ctx);
    if (caller.anonymous() || caller.stages().isEmpty() || caller.has(dev.ridley.server.auth.Role.ADMIN)) return;
    engine.processes().task(taskId).ifPresent(t -> {
      if (!caller.mayWork(t.stage())) {
        throw new HttpProblem(403, "Forbidden", "'" + caller.name() + "' may not report on task " + taskId
            + " of stage " + t.stage() + "; its key allows " + String.join(", ", caller.stages().stream().sorted().toList()));
      }
    });
  }

  private void heartbeat(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    Strict.params(ctx, Set.of());
    mayReport(ctx, engine, id);
    Strict.keys(bodies.object(ctx), "a heartbeat", Set.of("details"));
    engine.workers().heartbeat(id);
    Replies.json(ctx, 200, Json.object().put("status", "RUNNING"));
  }

  static final Set<String> POLL_KEYS = Set.of("worker", "stages", "max", "waitMs");
  static final Set<String> COMPLETE_KEYS = Set.of("outcome", "output", "actions");
  static final Set<String> FAIL_KEYS = Set.of("error", "retryable", "actions");
  static final Set<String> ERROR_KEYS = Set.of("type", "message", "stack");

  private void complete(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    Strict.params(ctx, Set.of());
    mayReport(ctx, engine, id);
    JsonNode body = bodies.object(ctx);
    if (body.has("error")) {
      throw HttpProblem.badRequest(errorWithoutFailure(Bodies.text(body, "outcome")) + "; report a failure through /fail");
    }
    Strict.keys(body, "a result", COMPLETE_KEYS);
    reply(ctx, engine.workers().complete(id, Bodies.id(body, "outcome"), body.get("output"), Strict.actions(body.get("actions"))));
  }

  /** The detail for an 'error' sent with an outcome that is not 'failed'. */
  static String errorWithoutFailure(String outcome) {
    return "an 'error' goes with the outcome 'failed' only; this result's outcome is "
        + (outcome == null ? "not given (so 'ok')" : "'" + Strict.printable(outcome) + "'");
  }

  /** A failure's error: an object with a 'type', and optionally a 'message' and a 'stack'. */
  static ErrorInfo error(JsonNode e, String example) {
    if (e == null || !e.isObject() || Bodies.text(e, "type") == null || Bodies.text(e, "type").isBlank()) {
      throw HttpProblem.badRequest("a failure needs an 'error' object with a 'type', e.g. " + example);
    }
    Strict.keys(e, "the 'error'", ERROR_KEYS);
    return new ErrorInfo(Strict.id(Bodies.text(e, "type"), "error.type"), Bodies.text(e, "message"), Bodies.text(e, "stack"));
  }

  private void fail(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "task");
    Strict.params(ctx, Set.of());
    mayReport(ctx, engine, id);
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a failure", FAIL_KEYS);
    ErrorInfo error = error(body.get("error"), "{\"error\": {\"type\": \"ValueError\", \"message\": \"...\"}}");
    reply(ctx, engine.workers().fail(id, error, Bodies.bool(body, "retryable", true), Strict.actions(body.get("actions"))));
  }

  private static void reply(Context ctx, TaskResult r) {
    ObjectNode out = Json.object();
    out.set("task", Views.task(r.task()));
    out.set("process", Views.process(r.process()));
    Replies.json(ctx, 200, out);
  }
}
