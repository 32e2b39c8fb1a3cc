package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.RidleyException;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.TaskResult;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.OutboxRows;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one path by which workers' reports change processes, for a single report (a batch of one)
 * as for many: one validation ({@link ReportChecks#checked}), one stale check, one routing step ({@link Step})
 * per report, and one statement per table for the whole batch, so many reports cost one commit
 * (group commit) and a handful of round trips.
 *
 * <p>Each report is still its own transition: a stale attempt, an unknown task or a stage that
 * left its pipeline is refused alone and the others go on. Processes are locked in id order, so two
 * batches never wait on each other in a cycle.
 *
 * <p>Reports are idempotent: a report on an attempt that already ended with the same outcome,
 * output and error (a worker's retry after a timeout or a 503, or a batch naming a task twice) is
 * answered as applied, with the attempt and its process as they are now, and changes nothing; a
 * different result for an ended attempt is refused as no longer current.
 *
 * <p>When the transaction fails (the database refused a statement, or a bug threw), it is rolled
 * back whole. A batch of one then fails to its caller: a {@link RidleyException} as the report's
 * refusal, anything else thrown as it is. A larger batch applies each report again alone, so the
 * one at fault is the only one refused and cannot sink the others; a report that fails alone with
 * an exception other than a {@link RidleyException} is refused with it wrapped in one. When the
 * connection broke during the commit ({@link CommitOutcomeUnknownException}), the batch may have
 * committed: each report is applied again alone, and finds its own write (answered as applied) or
 * applies it now.
 */
public final class ReportBatch {

  /** The most reports one batch takes. */
  public static final int MAX = 1000;

  /** How many times a report whose commit's outcome is unknown is applied again to find out. */
  private static final int RECHECKS = 3;

  private ReportBatch() {}

  /**
   * Applies the reports; answers come in the order given, one per report.
   *
   * @throws InvalidRequestException for more than {@link #MAX} reports
   * @throws RuntimeException for a batch of one whose transaction failed with anything other than
   *     a {@link RidleyException}
   */
  public static List<ReportResult> apply(Db db, Transitions transitions, List<TaskReport> reports) {
    return apply(db, transitions, reports, Map.of());
  }

  /**
   * As {@link #apply(Db, Transitions, List)}, for reports of amqp tasks whose {@code started}
   * message came with them: a still queued task in {@code startedBy} is claimed for the worker
   * named there, in the report's transaction, rather than in a transaction of its own.
   */
  public static List<ReportResult> apply(Db db, Transitions transitions, List<TaskReport> reports,
      Map<UUID, String> startedBy) {
    if (reports.size() > MAX) {
      throw new InvalidRequestException("a batch takes at most " + MAX + " results, got " + reports.size());
    }
    ReportResult[] out = new ReportResult[reports.size()];
    List<Item> valid = new ArrayList<>(reports.size());
    for (int i = 0; i < reports.size(); i++) {
      TaskReport r = reports.get(i);
      try {
        valid.add(new Item(i, ReportChecks.checked(r)));
      } catch (InvalidRequestException e) {
        out[i] = new ReportResult(r.taskId(), null, e);
      }
    }
    if (valid.isEmpty()) {
      return Arrays.asList(out);
    }
    if (reports.size() == 1) {
      out[0] = alone(db, transitions, valid.getFirst(), startedBy);
      return Arrays.asList(out);
    }
    try {
      List<Answer> answers = observed(transitions, db.tx(c -> applyAll(c, transitions, valid, startedBy)));
      for (int i = 0; i < answers.size(); i++) out[valid.get(i).index()] = answers.get(i).result();
    } catch (RuntimeException whole) {
      for (Item item : valid) {
        try {
          // A lone valid report need not be tried again: the failure was its own.
          if (valid.size() == 1 && !(whole instanceof CommitOutcomeUnknownException)) throw whole;
          out[item.index()] = alone(db, transitions, item, startedBy);
        } catch (RuntimeException e) {
          out[item.index()] = new ReportResult(item.report().taskId(), null, e instanceof RidleyException refused
              ? refused : new RidleyException("the report on task " + item.report().taskId() + " failed: " + e, e));
        }
      }
    }
    return Arrays.asList(out);
  }

  /**
   * One report in its own transaction; a refusal is its answer, anything else is thrown. When the
   * commit's outcome is unknown, the report is applied again: a report is idempotent, so the second
   * try finds the first one's write (and answers it as applied) or applies it now. When that cannot
   * be found out either, the answer is a {@link CommitOutcomeUnknownException} that says a retry is
   * safe.
   */
  private static ReportResult alone(Db db, Transitions transitions, Item item, Map<UUID, String> startedBy) {
    UUID taskId = item.report().taskId();
    try {
      return observed(transitions, db.tx(c -> applyAll(c, transitions, List.of(item), startedBy))).getFirst().result();
    } catch (CommitOutcomeUnknownException unknown) {
      for (int tries = 1; ; tries++) {
        try {
          return observed(transitions, db.tx(c -> applyAll(c, transitions, List.of(item), startedBy))).getFirst().result();
        } catch (RidleyException again) {
          if (tries < RECHECKS && again instanceof DatabaseUnavailableException) {
            Db.backOff(tries);
            continue;
          }
          if (!(again instanceof DatabaseUnavailableException)) return new ReportResult(taskId, null, again);
          CommitOutcomeUnknownException answer = new CommitOutcomeUnknownException(
              "the outcome is unknown: the database connection failed while the report on task " + taskId
                  + " committed, and the database could not be asked again;"
                  + " sending the same report again is safe: it answers 200 once it has been applied", unknown);
          answer.addSuppressed(again);
          return new ReportResult(taskId, null, answer);
        }
      }
    } catch (RidleyException refused) {
      return new ReportResult(taskId, null, refused);
    }
  }

  private static List<Answer> applyAll(Connection c, Transitions tr, List<Item> items, Map<UUID, String> startedBy)
      throws SQLException {
    BatchRows.Locked locked = BatchRows.lock(c, items.stream().map(i -> i.report().taskId()).toList());
    Map<UUID, TaskView> tasks = new HashMap<>(locked.tasks());
    Map<UUID, ProcessView> processes = new HashMap<>(locked.processes());
    Instant now = tr.now();
    startBrokered(c, tr, tasks, processes, startedBy, now);
    List<Answer> out = new ArrayList<>(items.size());
    List<Step> steps = new ArrayList<>(items.size());
    for (Item item : items) {
      TaskReport r = item.report();
      TaskView t = tasks.get(r.taskId());
      if (t == null) {
        out.add(Answer.refused(r, new NotFoundException("task", r.taskId().toString())));
        continue;
      }
      // Checked on the locked rows as earlier reports of this batch left them.
      ProcessView p = processes.get(t.processId());
      if (sameAsStored(t, r)) {
        // Sent again (a retry after a timeout, or a re-application after a failed batch): the
        // attempt already ended with exactly this result, so the answer is the one it had.
        out.add(new Answer(new ReportResult(r.taskId(), new TaskResult(t, p), null), null, false));
        continue;
      }
      if (t.status() != TaskStatus.RUNNING || p.status() != ProcessStatus.RUNNING || !t.id().equals(p.currentTask())) {
        out.add(Answer.refused(r, Transitions.stale(t)));
        continue;
      }
      Step step;
      try {
        step = plan(tr, p, t, toReport(r), now);
      } catch (RidleyException refused) {
        out.add(Answer.refused(r, refused));
        continue;
      }
      steps.add(step);
      tasks.put(t.id(), step.ended());
      processes.put(p.id(), step.after());
      out.add(new Answer(new ReportResult(r.taskId(), new TaskResult(step.ended(), step.after()), null), step.next(), true));
    }
    tr.writeSteps(c, steps);
    forgetBrokered(c, tr, steps);
    return out;
  }

  /**
   * Deletes the outbox entries of the amqp tasks these steps ended, in their transaction: the
   * sweepers' tidy then only meets the entries of tasks ended otherwise (timers, cancels), rather
   * than scanning every live entry for the ended ones.
   */
  private static void forgetBrokered(Connection c, Transitions tr, List<Step> steps) throws SQLException {
    List<UUID> ended = null;
    for (Step s : steps) {
      TaskView t = s.ended();
      if (!tr.handoffs().brokered(t.pipeline(), t.stage())) continue;
      if (ended == null) ended = new ArrayList<>();
      ended.add(t.id());
    }
    if (ended != null) OutboxRows.forget(c, ended);
  }

  /**
   * A worker of an amqp stage may report a task without having said it started (the started event
   * is optional): its current, still queued attempt is claimed now, on the locked rows, so the
   * report then ends a running attempt as any other. The claim names the worker of a {@code
   * started} message that came with the report, else {@link Transitions#IMPLICIT_WORKER}.
   */
  private static void startBrokered(Connection c, Transitions tr, Map<UUID, TaskView> tasks,
      Map<UUID, ProcessView> processes, Map<UUID, String> startedBy, Instant now) throws SQLException {
    Map<UUID, String> queued = null;
    for (TaskView t : tasks.values()) {
      ProcessView p = processes.get(t.processId());
      if (t.status() != TaskStatus.QUEUED || p == null || !t.id().equals(p.currentTask())
          || !tr.handoffs().brokered(t.pipeline(), t.stage())) {
        continue;
      }
      if (queued == null) queued = new LinkedHashMap<>();
      queued.put(t.id(), startedBy.getOrDefault(t.id(), Transitions.IMPLICIT_WORKER));
    }
    if (queued == null) return;
    for (TaskView started : OutboxRows.start(c, queued, now)) {
      tasks.put(started.id(), started);
    }
  }

  /**
   * Whether the attempt already ended by a worker's report with the same outcome, output and error
   * as this one: then this report is the same one sent again. JSON is compared by value (numbers
   * by their value, an absent output as {@code null}).
   */
  static boolean sameAsStored(TaskView t, TaskReport r) {
    if (t.status() != TaskStatus.SUCCEEDED && t.status() != TaskStatus.FAILED) return false;
    return r.outcome().equals(t.outcome()) && sameJson(t.output(), r.output())
        && java.util.Objects.equals(t.error(), r.error());
  }

  private static boolean sameJson(JsonNode a, JsonNode b) {
    boolean noA = a == null || a.isNull() || a.isMissingNode();
    boolean noB = b == null || b.isNull() || b.isMissingNode();
    if (noA || noB) return noA == noB;
    return a.equals(NUMBERS_BY_VALUE, b);
  }

  /** Compares numbers by value (1 and 1.0 are equal, as in jsonb), anything else as equals does. */
  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (x, y) -> {
    if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue());
    return x.equals(y) ? 0 : 1;
  };

  private static Step plan(Transitions tr, ProcessView p, TaskView t, Report report, Instant now) {
    Pipeline pipeline = tr.pipeline(t.pipeline());
    Stage stage = pipeline.stage(t.stage()).orElseThrow(
        () -> new RidleyException("stage " + t.stage() + " is no longer in pipeline " + pipeline.name()));
    return Step.plan(tr, p, t, report, Router.decide(pipeline, stage, t.attempt(), t.input(), report), now);
  }

  static Report toReport(TaskReport r) {
    return r.isFailure()
        ? Report.failed(r.error(), r.retryable(), r.actions())
        : Report.outcome(r.outcome(), r.output(), r.actions());
  }

  /** A report with its place in the batch. */
  private record Item(int index, TaskReport report) {}

  /** A report's answer, and the task it queued (for wake-ups), if any. */
  record Answer(ReportResult result, TaskView next, boolean fresh) {
    static Answer refused(TaskReport r, RidleyException e) {
      return new Answer(new ReportResult(r.taskId(), null, e), null, false);
    }
  }

  /** After the commit: tells the observer what the reports that changed something did. */
  private static List<Answer> observed(Transitions tr, List<Answer> answers) {
    for (Answer a : answers) {
      if (a.fresh()) tr.observing().ended(a.result().result().task(), a.result().result().process());
    }
    return answers;
  }
}
