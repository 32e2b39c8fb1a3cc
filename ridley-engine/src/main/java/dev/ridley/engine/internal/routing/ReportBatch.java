package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.RidleyException;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.TaskResult;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ParkRows;
import java.time.Instant;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies many reports in one transaction: one commit, one WAL flush, for all of them (group
 * commit), with one statement per table for the whole batch. Each report is still its own
 * transition with the checks and routing of a single one ({@link Step}), so a stale or unknown
 * attempt is refused alone and the others go on. Processes are locked in id order, so two batches
 * (or a batch and a single report) never wait on each other in a cycle. Should the database refuse a statement, the batch is rolled back and each report is
 * applied alone, so one bad report cannot sink the others.
 */
public final class ReportBatch {

  /** The most reports one batch takes. */
  public static final int MAX = 1000;

  private ReportBatch() {}

  /** The reports' answers, in the order given. */
  public static List<ReportResult> apply(Db db, Transitions transitions, List<TaskReport> reports) {
    if (reports.size() > MAX) {
      throw new InvalidRequestException("a batch takes at most " + MAX + " results, got " + reports.size());
    }
    Map<UUID, ReportResult> done = new HashMap<>();
    List<TaskReport> valid = new ArrayList<>(reports.size());
    for (TaskReport r : reports) {
      try {
        valid.add(checked(r));
      } catch (InvalidRequestException e) {
        done.put(r.taskId(), new ReportResult(r.taskId(), null, e));
      }
    }
    if (!valid.isEmpty()) {
      try {
        done.putAll(db.tx(c -> applyAll(c, transitions, valid)));
      } catch (RuntimeException e) {
        // Rolled back whole: each report on its own, so the one at fault is the only one refused.
        for (TaskReport r : valid) {
          done.put(r.taskId(), applyAlone(db, transitions, r));
        }
      }
    }
    List<ReportResult> out = new ArrayList<>(reports.size());
    for (TaskReport r : reports) out.add(done.get(r.taskId()));
    return out;
  }

  private static Map<UUID, ReportResult> applyAll(Connection c, Transitions tr, List<TaskReport> reports)
      throws SQLException {
    BatchRows.Locked locked = BatchRows.lock(c, reports.stream().map(TaskReport::taskId).toList());
    Map<UUID, TaskView> tasks = new HashMap<>(locked.tasks());
    Map<UUID, ProcessView> processes = new HashMap<>(locked.processes());
    Instant now = tr.now();
    Map<UUID, ReportResult> out = new HashMap<>();
    List<Step> steps = new ArrayList<>(reports.size());
    for (TaskReport r : reports) {
      TaskView t = tasks.get(r.taskId());
      if (t == null) {
        out.put(r.taskId(), new ReportResult(r.taskId(), null, new NotFoundException("task", r.taskId().toString())));
        continue;
      }
      ProcessView p = processes.get(t.processId());
      // The checks of a single report, on the locked rows as earlier reports of this batch left them.
      if (t.status() != TaskStatus.RUNNING || p.status() != ProcessStatus.RUNNING || !t.id().equals(p.currentTask())) {
        out.put(r.taskId(), new ReportResult(r.taskId(), null, Transitions.stale(t)));
        continue;
      }
      Pipeline pipeline = tr.pipeline(t.pipeline());
      Stage stage = pipeline.stage(t.stage()).orElseThrow(
          () -> new RidleyException("stage " + t.stage() + " is no longer in pipeline " + pipeline.name()));
      Report report = toReport(r);
      Step step = Step.plan(tr, p, t, report, Router.decide(pipeline, stage, t.attempt(), t.input(), report), now);
      steps.add(step);
      tasks.put(t.id(), step.ended());
      processes.put(p.id(), step.after());
      out.put(r.taskId(), new ReportResult(r.taskId(), new TaskResult(step.ended(), step.after()), null));
    }
    List<TaskView> ended = new ArrayList<>(steps.size());
    List<TaskView> next = new ArrayList<>(steps.size());
    List<ProcessView> after = new ArrayList<>(steps.size());
    List<JournalEvent> events = new ArrayList<>(steps.size() * 4);
    for (Step s : steps) {
      ended.add(s.ended());
      if (s.next() != null) next.add(s.next());
      after.add(s.after());
      events.addAll(s.events());
    }
    BatchRows.finish(c, ended);
    BatchRows.insert(c, next);
    BatchRows.update(c, after);
    for (Step s : steps) {
      if (s.parked()) ParkRows.stampAutoReplays(c, s.after().id());
    }
    JournalRows.append(c, events);
    return out;
  }

  private static ReportResult applyAlone(Db db, Transitions t, TaskReport r) {
    try {
      Transitions.Reported rep = db.tx(c -> t.report(c, r.taskId(), toReport(r)));
      return new ReportResult(r.taskId(), new TaskResult(rep.task(), rep.process()), null);
    } catch (RidleyException refused) {
      return new ReportResult(r.taskId(), null, refused);
    }
  }

  /** The outcome rules of single reports (Engine.complete and Engine.fail), for each report. */
  public static TaskReport checked(TaskReport r) {
    if (r.taskId() == null) {
      throw new InvalidRequestException("every result needs the task 'id' it reports on");
    }
    String name = r.outcome() == null ? Report.OK : r.outcome();
    if (!Report.FAILED.equals(name) && (!name.matches("[a-z][a-z0-9_-]*") || name.equals(Report.TIMEOUT))) {
      throw new InvalidRequestException("outcome '" + name + "' is not allowed (task " + r.taskId()
          + "): use lowercase letters, digits, '-' or '_'; 'timeout' is set by the engine only");
    }
    JsonNode actions = r.actions();
    if (actions != null && !actions.isNull() && !actions.isMissingNode() && !actions.isArray()) {
      throw new InvalidRequestException("'actions' must be a list of Eliot messages (JSON objects) (task " + r.taskId() + ")");
    }
    return r;
  }

  static Report toReport(TaskReport r) {
    JsonNode actions = r.actions() == null || r.actions().isNull() || r.actions().isMissingNode() ? null : r.actions();
    return r.isFailure()
        ? Report.failed(r.error(), r.retryable(), actions)
        : Report.outcome(r.outcome(), r.output(), actions);
  }
}
