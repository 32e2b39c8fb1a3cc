package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.StageCounts;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.WorkerSeen;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.RetryPolicy;
import dev.ridley.engine.pipeline.Route;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.engine.pipeline.Timeouts;
import dev.ridley.engine.tree.TraceIds;
import dev.ridley.server.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API, written field by field so the wire format is explicit. */
final class Views {

  private Views() {}

  static ObjectNode process(ProcessView p) {
    ObjectNode o = Json.object();
    o.put("id", p.id().toString());
    o.put("pipeline", p.pipeline());
    o.put("customId", p.customId());
    o.put("user", p.user());
    o.put("status", p.status().name());
    o.set("payload", p.payload());
    ObjectNode seen = o.putObject("lastSeen");
    seen.put("stage", p.lastSeen().stage());
    seen.put("at", time(p.lastSeen().at()));
    o.put("createdAt", time(p.createdAt()));
    o.put("deadlineAt", time(p.deadlineAt()));
    o.put("finishedAt", time(p.finishedAt()));
    o.set("output", p.output());
    o.set("error", error(p.error()));
    o.put("lostReason", p.lostReason() == null ? null : p.lostReason().name());
    o.put("currentTask", p.currentTask() == null ? null : p.currentTask().toString());
    o.put("attempts", p.attempts());
    o.put("replays", p.replays());
    if (p.park() != null) o.set("park", p.park().toJson());
    return o;
  }

  static ObjectNode task(TaskView t) {
    ObjectNode o = Json.object();
    o.put("id", t.id().toString());
    o.put("processId", t.processId().toString());
    o.put("pipeline", t.pipeline());
    o.put("stage", t.stage());
    o.put("attempt", t.attempt());
    o.put("status", t.status().name());
    o.put("enqueuedAt", time(t.enqueuedAt()));
    o.put("visibleAt", time(t.visibleAt()));
    o.put("polledAt", time(t.polledAt()));
    o.put("heartbeatAt", time(t.heartbeatAt()));
    o.put("finishedAt", time(t.finishedAt()));
    o.put("worker", t.worker());
    o.put("outcome", t.outcome());
    o.set("output", t.output());
    o.set("error", error(t.error()));
    return o;
  }

  static ObjectNode claimed(ClaimedTask t) {
    ObjectNode o = Json.object();
    o.put("id", t.id().toString());
    o.put("processId", t.processId().toString());
    o.put("pipeline", t.pipeline());
    o.put("stage", t.stage());
    o.put("attempt", t.attempt());
    o.set("payload", t.input());
    o.put("traceId", t.traceId());
    o.put("traceparent", TraceIds.traceparent(t.traceId()));
    if (t.heartbeat() != null) o.put("heartbeatMs", t.heartbeat().toMillis());
    else o.putNull("heartbeatMs");
    return o;
  }

  static ObjectNode event(JournalEvent e) {
    ObjectNode o = Json.object();
    o.put("seq", e.seq());
    o.put("at", time(e.at()));
    o.put("type", e.type());
    o.put("taskId", e.taskId() == null ? null : e.taskId().toString());
    o.put("stage", e.stage());
    if (e.attempt() == null) o.putNull("attempt");
    else o.put("attempt", e.attempt());
    o.set("data", e.data());
    return o;
  }

  /** What the pipeline view shows besides the definition: live state per stage. */
  record StageState(
      Map<String, StageCounts> counts, Map<String, Boolean> paused, Map<String, List<WorkerSeen>> workers) {}

  static ObjectNode pipeline(Pipeline p, StageState state) {
    ObjectNode o = Json.object();
    o.put("name", p.name());
    o.put("timeout", Durations.format(p.timeout()));
    o.put("firstStage", p.firstStage().name());
    o.put("source", p.source());
    // The pipeline is paused when every stage is; a pause of some stages shows on those stages.
    o.put("paused", p.stages().stream().allMatch(s -> state.paused().getOrDefault(s.name(), false)));
    ArrayNode stages = o.putArray("stages");
    for (Stage s : p.stages()) {
      ObjectNode so = stages.addObject();
      so.put("name", s.name());
      so.set("timeouts", timeouts(s.timeouts()));
      so.set("retry", retry(s.retry()));
      so.put("maxInFlight", s.maxInFlight());
      so.put("transport", s.transport().key());
      so.put("paused", state.paused().getOrDefault(s.name(), false));
      StageCounts c = state.counts().get(s.name());
      if (c != null) {
        ObjectNode co = so.putObject("counts");
        co.put("queued", c.queued());
        co.put("running", c.running());
        co.put("succeeded", c.succeeded());
        co.put("failed", c.failed());
        co.put("parked", c.parked());
        co.put("lost", c.lost());
        co.put("cancelled", c.cancelled());
        so.put("oldestQueuedMs", c.oldestQueued() == null ? null : c.oldestQueued().toMillis());
      }
      ArrayNode workers = so.putArray("workers");
      for (WorkerSeen w : state.workers().getOrDefault(s.name(), List.of())) {
        workers.addObject().put("id", w.id()).put("lastPollAt", time(w.lastPollAt()));
      }
    }
    ArrayNode routes = o.putArray("routes");
    for (Route r : p.routes()) {
      routes.add(r.toString());
    }
    return o;
  }

  private static ObjectNode timeouts(Timeouts t) {
    ObjectNode o = Json.object();
    o.put("enqueueToPoll", duration(t.enqueueToPoll()));
    o.put("pollToEnd", duration(t.pollToEnd()));
    o.put("enqueueToEnd", duration(t.enqueueToEnd()));
    o.put("heartbeat", duration(t.heartbeat()));
    return o;
  }

  private static ObjectNode retry(RetryPolicy r) {
    ObjectNode o = Json.object();
    o.put("attempts", r.attempts());
    o.put("backoff", duration(r.backoff()));
    o.put("multiplier", r.multiplier());
    o.put("maxBackoff", duration(r.maxBackoff()));
    ArrayNode nr = o.putArray("nonRetryable");
    r.nonRetryable().stream().sorted().forEach(nr::add);
    return o;
  }

  static JsonNode error(ErrorInfo e) {
    if (e == null) {
      return null;
    }
    ObjectNode o = Json.object();
    o.put("type", e.type());
    o.put("message", e.message());
    if (e.stack() != null) o.put("stack", e.stack());
    return o;
  }

  private static String duration(Duration d) {
    return d == null ? null : Durations.format(d);
  }

  static String time(Instant i) {
    return i == null ? null : i.toString();
  }
}
