package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trace of one handler run: a {@code ridley:handler} action continuing the task id the
 * server gave the attempt, and every message logged under it, kept to travel back with the
 * result (and copied to the worker's own Eliot log, if it has one).
 */
final class HandlerTrace {

  static final String ACTION_TYPE = "ridley:handler";

  private final PolledTask task;
  private final String workerId;
  private final EliotLog alsoTo;
  private final List<ObjectNode> messages = new ArrayList<>();
  private volatile Action handler;
  private volatile boolean used;

  HandlerTrace(PolledTask task, String workerId, EliotLog alsoTo) {
    this.task = task;
    this.workerId = workerId;
    this.alsoTo = alsoTo;
  }

  /** Starts the handler's action on the calling (the handler's) thread. */
  void begin() {
    EliotLog log = EliotLog.to(this::keep);
    Map<String, Object> fields = Map.of("stage", task.stage(), "attempt", task.attempt(), "worker", workerId);
    try {
      handler = log.continueTask(task.traceId(), ACTION_TYPE, fields);
    } catch (IllegalArgumentException noUsableId) {
      // An id we cannot read (or none): the server places a trace that is not at its slot itself.
      handler = log.startTask(ACTION_TYPE, fields);
    }
  }

  /** The action a handler's code logs into; asking for it is what makes the trace travel. */
  Action current() {
    used = true;
    Action h = handler;
    if (h == null) {
      throw new IllegalStateException("the trace of " + task.describe() + " is only available inside its handler");
    }
    return Action.current().orElse(h);
  }

  /** Ends the handler's action as the report says the attempt ended. */
  void end(Report report) {
    Action h = handler;
    if (h == null) return;
    JsonNode error = report.body().path("error");
    if (report.action().equals("fail")) {
      h.fail(error.path("type").asText("Error"), error.path("message").asText(""));
    } else {
      h.addSuccessFields(Map.of("outcome", report.outcome()));
    }
    h.close();
  }

  /** The messages to send with the result, or null when the handler never used its trace. */
  ArrayNode actionsIfUsed() {
    if (!used) return null;
    ArrayNode out = Json.PROTOCOL.createArrayNode();
    synchronized (messages) {
      out.addAll(messages);
    }
    return out;
  }

  private void keep(ObjectNode message) {
    synchronized (messages) {
      messages.add(message);
    }
    if (alsoTo != null) {
      alsoTo.write(message);
    }
  }
}
