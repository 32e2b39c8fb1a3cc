package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger log = LoggerFactory.getLogger(BatchTaskRoutes.class);

  static final Set<String> ITEM_KEYS = Set.of("id", "outcome", "output", "error", "retryable", "actions");

  private void completeAll(Context ctx) {
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a batch", Set.of("results"));
    JsonNode items = body.get("results");
    if (items == null || !items.isArray()) {
      throw HttpProblem.badRequest(
          "a batch needs 'results': a list of {\"id\": \"<task id>\", \"outcome\": \"ok\", \"output\": {...}}");
    }
    if (items.size() > WorkerProtocol.MAX_REPORT_BATCH) {
      throw HttpProblem.badRequest("a batch takes at most " + WorkerProtocol.MAX_REPORT_BATCH + " results, got " + items.size());
    }
    // Each item is read on its own: one item's mistake is that item's 400, not the batch's.
    ObjectNode[] answers = new ObjectNode[items.size()];
    List<TaskReport> reports = new ArrayList<>(items.size());
    List<Integer> at = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        TaskReport r = report(items.get(i), i);
        TaskRoutes.mayReport(ctx, engine, r.taskId());
        reports.add(r);
        at.add(i);
      } catch (HttpProblem refused) {
        ObjectNode o = Json.object();
        // The item's id when it gave a well-formed one; null otherwise (the answers are in order).
        JsonNode id = items.get(i).path("id");
        o.put("id", id.isTextual() && wellFormed(id.textValue()) ? id.textValue() : null);
        o.put("status", refused.status);
        o.put("detail", refused.getMessage());
        answers[i] = o;
      }
    }
    List<ReportResult> results = reports.isEmpty() ? List.of() : engine.workers().completeAll(reports);
    for (int k = 0; k < results.size(); k++) answers[at.get(k)] = answer(results.get(k));
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("results");
    for (ObjectNode a : answers) list.add(a);
    Replies.json(ctx, 200, out);
  }

  private static boolean wellFormed(String id) {
    try {
      Bodies.uuid(id, "task");
      return true;
    } catch (HttpProblem malformed) {
      return false;
    }
  }

  static TaskReport report(JsonNode item, int index) {
    if (!item.isObject()) {
      throw HttpProblem.badRequest("each of 'results' must be an object with the task 'id', was " + Strict.kind(item));
    }
    Strict.keys(item, "results[" + index + "]", ITEM_KEYS);
    String idText = Bodies.text(item, "id");
    if (idText == null) {
      throw HttpProblem.badRequest("each of 'results' needs the task 'id' it reports on, e.g. {\"id\": \"<task id>\", \"outcome\": \"ok\"}");
    }
    UUID id = Bodies.uuid(idText, "task");
    String outcome = Bodies.id(item, "outcome");
    JsonNode actions = Strict.actions(item.get("actions"));
    if (TaskReport.FAILED.equals(outcome)) {
      if (item.has("output")) {
        throw HttpProblem.badRequest("a failed result carries an 'error', not an 'output' (task " + id + ")");
      }
      ErrorInfo error = TaskRoutes.error(item.get("error"), "{\"id\": \"...\", \"outcome\": \"failed\","
          + " \"error\": {\"type\": \"ValueError\", \"message\": \"...\"}} (task " + id + ")");
      return TaskReport.failed(id, error, Bodies.bool(item, "retryable", true), actions);
    }
    if (item.has("error")) {
      throw HttpProblem.badRequest(TaskRoutes.errorWithoutFailure(outcome) + " (task " + id + ")");
    }
    if (item.has("retryable")) {
      throw HttpProblem.badRequest("'retryable' goes with the outcome 'failed' only (task " + id + ")");
    }
    return TaskReport.outcome(id, outcome, item.get("output"), actions);
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
    switch (r.refused()) {
      case ConflictException c -> o.put("status", 409).put("detail", c.getMessage());
      case NotFoundException n -> o.put("status", 404).put("detail", n.getMessage());
      case InvalidRequestException i -> o.put("status", 400).put("detail", i.getMessage());
      case DatabaseUnavailableException d -> {
        ObjectNode p = Problems.unavailable(d, "a batch report on task " + r.taskId());
        o.put("status", 503).put("detail", p.path("detail").asText()).put("errorId", p.path("errorId").asText());
      }
      default -> {
        String errorId = UUID.randomUUID().toString();
        log.error("unexpected error {} on a batch report on task {}", errorId, r.taskId(), r.refused());
        o.put("status", 500).put("detail", "an unexpected error; it was logged with errorId " + errorId)
            .put("errorId", errorId);
      }
    }
    return o;
  }
}
