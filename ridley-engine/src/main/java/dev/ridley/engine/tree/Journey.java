package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A process's journal read as a story: the start, each attempt with what happened to it, and how
 * the process ended. Events that no attempt can hold (an attempt's level is fixed when a worker
 * claims it, so nothing may be inserted before it) fold into the next attempt's start fields, or
 * trail the last one.
 */
final class Journey {

  /** A message to log: its time, type and fields. */
  record Note(Instant at, String type, ObjectNode fields) {}

  /** How an action ended. */
  record End(Instant at, boolean succeeded, ObjectNode fields) {}

  static final class Attempt {
    final UUID taskId;
    final int ordinal;
    final String stage;
    final Instant enqueuedAt;
    final ObjectNode startFields;
    final JsonNode trace;
    Instant claimedAt;
    String worker;
    final List<Note> notes = new ArrayList<>();
    End end;
    boolean cancelled;

    Attempt(UUID taskId, int ordinal, String stage, Instant enqueuedAt, ObjectNode startFields, JsonNode trace) {
      this.taskId = taskId;
      this.ordinal = ordinal;
      this.stage = stage;
      this.enqueuedAt = enqueuedAt;
      this.startFields = startFields;
      this.trace = trace;
    }
  }

  final UUID processId;
  String pipeline;
  Instant startedAt;
  ObjectNode rootFields = TreeMapper.object();
  final List<Attempt> attempts = new ArrayList<>();
  final List<Note> trailing = new ArrayList<>();
  End rootEnd;

  private final Map<UUID, TaskView> tasks = new HashMap<>();
  private final Map<UUID, Attempt> byTask = new LinkedHashMap<>();
  private Attempt lastEnded;
  private JsonNode replayed;

  private Journey(UUID processId, List<TaskView> tasks) {
    this.processId = processId;
    tasks.forEach(t -> this.tasks.put(t.id(), t));
  }

  static Journey of(UUID processId, List<JournalEvent> events, List<TaskView> tasks) {
    Journey j = new Journey(processId, tasks);
    events.forEach(j::read);
    return j;
  }

  private void read(JournalEvent e) {
    JsonNode data = e.data() == null ? TreeMapper.object() : e.data();
    Attempt a = e.taskId() == null ? null : byTask.get(e.taskId());
    switch (e.type()) {
      case JournalEvent.PROCESS_STARTED -> {
        startedAt = e.at();
        pipeline = data.path("pipeline").asText("process");
        rootFields = copy(data);
      }
      case JournalEvent.TASK_ENQUEUED -> enqueued(e, data);
      case JournalEvent.TASK_CLAIMED -> {
        if (a == null) other(e, data);
        else {
          a.claimedAt = e.at();
          a.worker = data.path("worker").asText(null);
        }
      }
      case JournalEvent.TASK_RELEASED -> {
        // The claim never reached its worker: the attempt waits again, and its next claim (the
        // one a worker worked on) is the one shown; the release stays as a note in the attempt.
        if (a != null && a.end == null) {
          a.claimedAt = null;
          a.worker = null;
        }
        other(e, data);
      }
      case JournalEvent.TASK_COMPLETED, JournalEvent.TASK_FAILED, JournalEvent.TASK_TIMED_OUT, JournalEvent.TASK_CANCELLED -> {
        if (a == null || a.end != null) other(e, data);
        else ended(a, e, data);
      }
      case JournalEvent.PROCESS_ROUTED -> decision(e, data, "ridley:routed");
      case JournalEvent.PROCESS_PARKED -> {
        decision(e, data, "ridley:parked");
        rootEnd = new End(e.at(), false, Ends.parked(data));
      }
      case JournalEvent.PROCESS_SUCCEEDED -> rootEnd = new End(e.at(), true, Ends.status("SUCCEEDED"));
      case JournalEvent.PROCESS_FAILED -> rootEnd = new End(e.at(), false, Ends.failed(data));
      case JournalEvent.PROCESS_LOST -> rootEnd = new End(e.at(), false, Ends.lost(data));
      case JournalEvent.PROCESS_CANCELLED -> {
        // Only a cancel that cut an attempt short (in the same transaction) belongs in it.
        if (lastEnded != null && lastEnded.cancelled && lastEnded.notes.stream().noneMatch(n -> n.type().equals("ridley:cancelled"))) {
          lastEnded.notes.add(new Note(e.at(), "ridley:cancelled", copy(data)));
        }
        rootEnd = new End(e.at(), false, Ends.cancelled(data));
      }
      case JournalEvent.PROCESS_REPLAYED -> {
        rootEnd = null;
        replayed = data;
      }
      default -> other(e, data);
    }
  }

  private void enqueued(JournalEvent e, JsonNode data) {
    TaskView view = tasks.get(e.taskId());
    int ordinal = view != null ? view.ordinal() : attempts.size() + 1;
    ObjectNode fields = TreeMapper.object();
    fields.put("stage", e.stage());
    fields.put("attempt", e.attempt() == null ? 1 : e.attempt());
    fields.put("taskId", String.valueOf(e.taskId()));
    data.properties().forEach(p -> {
      if (!p.getKey().equals("replay")) fields.set(p.getKey(), p.getValue());
    });
    if (replayed != null) {
      fields.set("replay", replayed.path("replay"));
      fields.set("replayedBy", replayed.path("by"));
      fields.set("replayedFrom", replayed.path("from"));
      if (replayed.hasNonNull("actor")) fields.set("replayedByPrincipal", replayed.path("actor"));
      replayed = null;
    }
    if (!trailing.isEmpty()) {
      ArrayNode before = fields.putArray("before");
      for (Note n : trailing) {
        before.addObject().put("event", n.type()).put("at", n.at().toString()).setAll(n.fields());
      }
      trailing.clear();
    }
    if (data.path("retry").asBoolean(false) && lastEnded != null) {
      ObjectNode retry = TreeMapper.object().put("nextAttempt", fields.path("attempt").asInt());
      retry.set("backoff", data.path("backoff"));
      lastEnded.notes.add(new Note(e.at(), "ridley:retry", retry));
    }
    rootEnd = null;
    Attempt a = new Attempt(e.taskId(), ordinal, e.stage(), e.at(), fields, view == null ? null : view.trace());
    attempts.add(a);
    byTask.put(e.taskId(), a);
  }

  private void ended(Attempt a, JournalEvent e, JsonNode data) {
    ObjectNode fields = TreeMapper.object();
    boolean ok = false;
    switch (e.type()) {
      case JournalEvent.TASK_COMPLETED -> {
        fields.set("outcome", data.path("outcome"));
        ok = true;
      }
      case JournalEvent.TASK_FAILED -> {
        Ends.error(fields, data.path("error"), "Failed");
        fields.put("outcome", "failed");
        if (data.has("retryable")) fields.set("retryable", data.get("retryable"));
        String stack = data.path("error").path("stack").asText(null);
        if (stack != null) {
          ObjectNode tb = Ends.error(TreeMapper.object(), data.path("error"), "Failed").put("traceback", stack);
          a.notes.add(new Note(e.at(), "eliot:traceback", tb));
        }
      }
      case JournalEvent.TASK_TIMED_OUT -> {
        Ends.error(fields, data.path("error"), "Timeout");
        fields.put("outcome", "timeout");
        ObjectNode timer = TreeMapper.object().put("timer", data.path("reason").asText(null));
        a.notes.add(new Note(e.at(), "ridley:timed_out", timer.put("message", fields.path("reason").asText(null))));
      }
      default -> {
        fields.put(EliotMessage.EXCEPTION, "Cancelled").put(EliotMessage.REASON, "the process was cancelled");
        fields.put("outcome", "cancelled");
        a.cancelled = true;
      }
    }
    if (a.worker != null) fields.put("worker", a.worker);
    a.end = new End(e.at(), ok, fields);
    lastEnded = a;
  }

  /** Routing and parking are decided in the transaction that ended the last attempt. */
  private void decision(JournalEvent e, JsonNode data, String type) {
    if (lastEnded == null) {
      other(e, data);
    } else {
      lastEnded.notes.add(new Note(e.at(), type, copy(data)));
    }
  }

  /** Any other event: in its attempt while that runs, else in the open one, else between attempts. */
  private void other(JournalEvent e, JsonNode data) {
    Attempt target = e.taskId() != null ? byTask.get(e.taskId()) : attempts.isEmpty() ? null : attempts.getLast();
    ObjectNode fields = copy(data);
    if (e.stage() != null && !fields.has("stage")) fields.put("stage", e.stage());
    Note note = new Note(e.at(), "ridley:" + e.type(), fields);
    if (target != null && target.end == null) {
      target.notes.add(note);
    } else {
      trailing.add(note);
    }
  }

  private static ObjectNode copy(JsonNode data) {
    return data != null && data.isObject() ? ((ObjectNode) data).deepCopy() : TreeMapper.object();
  }
}
