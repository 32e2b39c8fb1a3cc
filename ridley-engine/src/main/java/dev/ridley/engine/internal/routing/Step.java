package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.Park;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.pipeline.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one report changes, computed without touching the database: the ended attempt, the next
 * task if any, the process after it and the journal events, as {@link Transitions} writes them
 * for one report. {@link ReportBatch} plans many and writes them with one statement per table.
 *
 * @param parked whether the process was parked (its auto-replay count is stamped too)
 */
record Step(TaskView ended, TaskView next, ProcessView after, List<JournalEvent> events, boolean parked) {

  static Step plan(Transitions tr, ProcessView p, TaskView t, Report report, Decision decision, Instant now) {
    List<JournalEvent> events = new ArrayList<>(4);
    TaskView ended = finished(t, report, now);
    events.add(Events.ofTask(t, now, endEventType(report), endEventData(report)));
    ErrorInfo lastError = report.error() != null ? report.error() : p.error();
    TaskView next = null;
    ProcessView after;
    switch (decision) {
      case Decision.Retry r -> {
        next = tr.newTask(p.id(), t.pipeline(), t.stage(), t.attempt() + 1, p.attempts() + 1,
            t.input(), now, now.plus(r.backoff()), t.stageStartedAt());
        after = Transitions.movedTo(p, t.stage(), now, next.id()).error(lastError).build();
        events.add(Events.ofTask(next, now, JournalEvent.TASK_ENQUEUED,
            Events.data().put("retry", true).put("backoff", Durations.format(r.backoff()))));
      }
      case Decision.Continue go -> {
        next = tr.newTask(p.id(), t.pipeline(), go.stage(), 1, p.attempts() + 1, go.input(), now, now, now);
        after = Transitions.movedTo(p, go.stage(), now, next.id()).error(lastError).build();
        events.add(routed(p, now, go.routedBy(), go.stage()));
        events.add(Events.ofTask(next, now, JournalEvent.TASK_ENQUEUED, Events.data()));
      }
      case Decision.End end -> {
        ErrorInfo error = end.status() == ProcessStatus.SUCCEEDED ? null : endError(end, lastError, t);
        after = Transitions.moved(p, end.status(), t.stage(), now)
            .finishedAt(now).output(report.output()).error(error).lostReason(end.lostReason()).build();
        events.add(routed(p, now, end.routedBy(), end.status().name()));
        ObjectNode data = Events.data();
        if (end.lostReason() != null) data.put("reason", end.lostReason().name());
        if (error != null) data.set("error", Json.MAPPER.valueToTree(error));
        events.add(Events.ofProcess(p.id(), now, endProcessEventType(end.status()), data));
      }
      case Decision.Park park -> {
        Target.Park options = park.options();
        Park parked = Park.of(t.stage(), now, options.to() != null ? options.to() : t.stage(),
            options.replayAfter(), options.maxReplays(), park.input());
        after = Transitions.moved(p, ProcessStatus.PARKED, t.stage(), now)
            .output(report.output()).error(lastError).park(parked).build();
        events.add(routed(p, now, park.routedBy(), options.toString()));
        events.add(Events.ofProcess(p.id(), now, JournalEvent.PROCESS_PARKED, parkedData(parked)));
      }
    }
    return new Step(ended, next, after, events, decision instanceof Decision.Park);
  }

  /** The journal's record of a parking: the park without the input, which can be large. */
  private static ObjectNode parkedData(Park park) {
    ObjectNode data = Events.data().put("stage", park.stage()).put("at", park.at().toString()).put("to", park.to());
    if (park.replayAfter() != null) data.put("replayAfterMs", park.replayAfter().toMillis());
    if (park.maxReplays() != null) data.put("maxReplays", park.maxReplays());
    return data;
  }

  private static ErrorInfo endError(Decision.End end, ErrorInfo lastError, TaskView t) {
    if (lastError != null) {
      return lastError;
    }
    return ErrorInfo.of("RoutedToFail", "stage " + t.stage() + " routed the process to @fail (" + end.routedBy() + ")");
  }

  private static String endEventType(Report r) {
    return switch (r.outcome()) {
      case Report.TIMEOUT -> JournalEvent.TASK_TIMED_OUT;
      case Report.FAILED -> JournalEvent.TASK_FAILED;
      default -> JournalEvent.TASK_COMPLETED;
    };
  }

  private static String endProcessEventType(ProcessStatus s) {
    return switch (s) {
      case SUCCEEDED -> JournalEvent.PROCESS_SUCCEEDED;
      case LOST -> JournalEvent.PROCESS_LOST;
      case CANCELLED -> JournalEvent.PROCESS_CANCELLED;
      default -> JournalEvent.PROCESS_FAILED;
    };
  }

  private static JournalEvent routed(ProcessView p, Instant now, String via, String to) {
    return Events.ofProcess(p.id(), now, JournalEvent.PROCESS_ROUTED, Events.data().put("route", via).put("to", to));
  }

  /** The attempt as a report (or a timer) ends it. */
  static TaskView finished(TaskView t, Report r, Instant now) {
    TaskStatus status =
        switch (r.outcome()) {
          case Report.TIMEOUT -> TaskStatus.TIMED_OUT;
          case Report.FAILED -> TaskStatus.FAILED;
          default -> TaskStatus.SUCCEEDED;
        };
    return t.toBuilder()
        .status(status).finishedAt(now).outcome(r.outcome()).output(r.output()).error(r.error())
        .trace(r.actions())
        .build();
  }

  /** The data of the journal event that ends an attempt. */
  static ObjectNode endEventData(Report r) {
    ObjectNode data = Events.data().put("outcome", r.outcome());
    if (r.error() != null) data.set("error", Json.MAPPER.valueToTree(r.error()));
    if (r.timeout() != null) data.put("reason", r.timeout().name());
    if (Report.FAILED.equals(r.outcome())) data.put("retryable", r.retryable());
    return data;
  }
}
