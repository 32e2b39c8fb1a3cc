package dev.ridley.engine.internal.routing;

import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.internal.timer.TimerKind;
import dev.ridley.engine.internal.timer.TimerRules;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The engine's own transitions, when a timer fires: an attempt timed out (routed as a report of
 * outcome {@code timeout} would be), or a process outlived its pipeline's timeout (LOST). Each
 * re-checks on the locked rows that it is still due, so a timer fires once however many nodes see
 * it due.
 */
public final class TimerFirings {

  private final Transitions tr;

  TimerFirings(Transitions tr) {
    this.tr = tr;
  }

  /**
   * Fires {@code timer} for each of the tasks on which it is still due on the locked rows (process
   * first, then task, as every transition locks them), and writes all the firings with one
   * statement per table; returns the firings. A task whose timer is no longer due (a heartbeat or
   * a result came first, another node fired it) is left alone.
   */
  public List<Transitions.Reported> fireTimers(Connection c, List<UUID> taskIds, TimerKind timer) throws SQLException {
    if (taskIds.isEmpty()) return List.of();
    BatchRows.Locked locked = BatchRows.lock(c, taskIds);
    Instant now = tr.now();
    List<Step> steps = new ArrayList<>(taskIds.size());
    for (UUID id : taskIds) {
      TaskView task = locked.tasks().get(id);
      ProcessView process = task == null ? null : locked.processes().get(task.processId());
      if (process == null || process.status() != ProcessStatus.RUNNING || !task.id().equals(process.currentTask())) {
        continue;
      }
      Pipeline pipeline = tr.loaded(task.pipeline());
      Stage stage = pipeline == null ? null : pipeline.stage(task.stage()).orElse(null);
      if (stage == null || !TimerRules.due(stage.timeouts(), task, timer, now)) {
        continue;
      }
      Report report = Report.timeout(timer, TimerRules.message(stage.timeouts(), task, timer));
      Decision decision = Router.decide(pipeline, stage, task.attempt(), task.input(), report);
      steps.add(Step.plan(tr, process, task, report, decision, now));
    }
    tr.writeSteps(c, steps);
    return steps.stream().map(step -> new Transitions.Reported(step.ended(), step.after(), step.next())).toList();
  }

  /** Ends a running process past its start-to-end deadline as LOST; null when it is not due. */
  public ProcessView expireProcess(Connection c, UUID processId) throws SQLException {
    ProcessView p = ProcessRows.lock(c, processId).orElse(null);
    Instant now = tr.now();
    if (p == null || p.status() != ProcessStatus.RUNNING || !p.deadlineAt().isBefore(now)) {
      return null;
    }
    List<JournalEvent> events = new ArrayList<>();
    String message = "process did not end within " + Durations.format(tr.pipeline(p.pipeline()).timeout())
        + " of its start (pipeline timeout)";
    ErrorInfo error = ErrorInfo.of("Timeout", message);
    LostReason reason = TimerKind.PROCESS.lostReason();
    if (p.currentTask() != null) {
      TaskView t = TaskRows.lock(c, p.currentTask()).orElse(null);
      if (t != null && (t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.RUNNING)) {
        Report r = Report.timeout(TimerKind.PROCESS, message);
        BatchRows.finish(c, List.of(Step.finished(t, r, now)));
        events.add(Events.ofTask(t, now, JournalEvent.TASK_TIMED_OUT, Step.endEventData(r)));
      }
    }
    ProcessView lost = Transitions.moved(p, ProcessStatus.LOST, p.lastSeen().stage(), now)
        .finishedAt(now).error(error).lostReason(reason).build();
    BatchRows.update(c, List.of(lost));
    tr.handoffs().notifyEnds(c, List.of(lost));
    events.add(Events.ofProcess(p.id(), now, JournalEvent.PROCESS_LOST,
        Events.data().put("reason", reason.name()).put("message", message)));
    JournalRows.append(c, events);
    return lost;
  }
}
