package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The batch form of the worker's reports: {@code POST /api/v1/tasks/complete} with {@code
 * {"results": [{"id", "outcome", "output", "actions"} | {"id", "outcome": "failed", "error",
 * "retryable"}, ...]}}, applied in one transaction. Each result is answered on its own, in order,
 * with the status its single form would have had (200, or 409 for an attempt that is no longer
 * current, 404, 400); the request itself is 200 when it could be read.
 */
final class BatchTaskRoutes {

  private final Engine engine;
  private final Bodies bodies;

  BatchTaskRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.post("/api/v1/tasks/complete", this::completeAll);
  }

  private void completeAll(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode items = body.get("results");
    if (items == null || !items.isArray()) {
      throw HttpProblem.badRequest(
          "a batch needs 'results': a list of {\"id\": \"<task id>\", \"outcome\": \"ok\", \"output\": {...}}");
    }
    if (items.size() > WorkerProtocol.MAX_REPORT_BATCH) {
      throw HttpProblem.badRequest("a batch takes at most " + WorkerProtocol.MAX_REPORT_BATCH + " results, got " + items.size());
    }
    List<TaskReport> reports = new ArrayList<>(items.size());
    for (JsonNode item : items) reports.add(report(item));
    List<ReportResult> results = engine.workers().completeAll(reports);
    ObjectNode out = Json.object();
    ArrayNode answers = out.putArray("results");
    for (ReportResult r : results) answers.add(answer(r));
    Replies.json(ctx, 200, out);
  }

  private static TaskReport report(JsonNode item) {
    if (!item.isObject()) {
      throw HttpProblem.badRequest("each of 'results' must be an object with the task 'id', was " + item);
    }
    String idText = Bodies.text(item, "id");
    if (idText == null) {
      throw HttpProblem.badRequest("each of 'results' needs the task 'id' it reports on, e.g. {\"id\": \"<task id>\", \"outcome\": \"ok\"}");
    }
    UUID id = Bodies.uuid(idText, "task");
    String outcome = Bodies.text(item, "outcome");
    if (TaskReport.FAILED.equals(outcome)) {
      JsonNode e = item.path("error");
      if (!e.isObject() || Bodies.text(e, "type") == null || Bodies.text(e, "type").isBlank()) {
        throw HttpProblem.badRequest("a failed result needs an 'error' object with a 'type', e.g. {\"id\": \"...\","
            + " \"outcome\": \"failed\", \"error\": {\"type\": \"ValueError\", \"message\": \"...\"}} (task " + id + ")");
      }
      ErrorInfo error = new ErrorInfo(Bodies.text(e, "type"), Bodies.text(e, "message"), Bodies.text(e, "stack"));
      return TaskReport.failed(id, error, Bodies.bool(item, "retryable", true), item.get("actions"));
    }
    return TaskReport.outcome(id, outcome, item.get("output"), item.get("actions"));
  }

  private static ObjectNode answer(ReportResult r) {
    ObjectNode o = Json.object();
    o.put("id", r.taskId().toString());
    if (r.applied()) {
      o.put("status", 200);
      o.put("taskStatus", r.result().task().status().name());
      o.put("processId", r.result().process().id().toString());
      o.put("processStatus", r.result().process().status().name());
      return o;
    }
    int status = switch (r.refused()) {
      case ConflictException c -> 409;
      case NotFoundException n -> 404;
      case DatabaseUnavailableException d -> 503;
      default -> 400;
    };
    o.put("status", status);
    o.put("detail", r.refused().getMessage());
    return o;
  }
}
