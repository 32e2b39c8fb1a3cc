package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.EngineObserver;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.LastSeen;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.dispatch.StageGate;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ParkRows;
import dev.ridley.engine.internal.store.OutboxRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.pipeline.Pipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Every change of a process's state, each as one transaction on a connection the caller opened:
 * the task rows, the process row (status, lastSeen) and the journal change together or not at
 * all. Locks are always taken process first, then task, so transitions never deadlock.
 */
public final class Transitions {

  /** The worker a brokered task's claim names when its worker reported without saying it started. */
  public static final String IMPLICIT_WORKER = "amqp-worker";

  private final Map<String, Pipeline> pipelines;
  private final Clock clock;
  private final Supplier<UUID> ids;
  private final TimerFirings timers = new TimerFirings(this);
  private final Checkpoint checkpoint;
  private final Observing observing;
  private final Handoffs handoffs;

  public Transitions(
      Map<String, Pipeline> pipelines, Clock clock, Supplier<UUID> ids, Checkpoint checkpoint) {
    this(pipelines, clock, ids, checkpoint, new Observing(EngineObserver.NONE));
  }

  /** @param observing told of what committed transitions did (metrics) */
  public Transitions(Map<String, Pipeline> pipelines, Clock clock, Supplier<UUID> ids, Checkpoint checkpoint,
      Observing observing) {
    this.pipelines = Map.copyOf(pipelines);
    this.clock = clock;
    this.ids = ids;
    this.checkpoint = checkpoint;
    this.observing = observing;
    this.handoffs = new Handoffs(this.pipelines, ids, this::now);
  }

  /** The rows a transition leaves for other loops: the amqp outbox, the webhook notifications. */
  public Handoffs handoffs() {
    return handoffs;
  }

  /** Who is told what committed transitions did. */
  public Observing observing() {
    return observing;
  }

  public Pipeline pipeline(String name) {
    Pipeline p = pipelines.get(name);
    if (p == null) {
      throw new NotFoundException(
          "pipeline",
          name,
          "no pipeline '" + name + "'; loaded pipelines: " + String.join(", ", pipelines.keySet()));
    }
    return p;
  }

  /** Timer firings: each a transition like a report, written through the same statements. */
  public TimerFirings timers() {
    return timers;
  }

  /** The pipeline of that name, or null when this node no longer loads it. */
  Pipeline loaded(String name) {
    return pipelines.get(name);
  }

  /** Called between the statements of every transition (tests). */
  Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The clock every transition reads. */
  public Clock clock() {
    return clock;
  }

  /**
   * Now, to the microsecond: the precision the database keeps, so every time the engine answers
   * is the time it stored.
   */
  public Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /** Creates the process and its first task, or finds the one its customId names. */
  public StartResult start(Connection c, String pipelineName, StartRequest req)
      throws SQLException {
    return start(c, pipelineName, req, newId());
  }

  /** A new id, as processes and tasks get them (time-ordered). */
  public UUID newId() {
    return ids.get();
  }

  /**
   * As {@link #start(Connection, String, StartRequest)}, with the id the new process gets (so a
   * start whose commit's outcome is unknown can be looked up by it).
   */
  public StartResult start(Connection c, String pipelineName, StartRequest req, UUID processId)
      throws SQLException {
    Pipeline pipeline = pipeline(pipelineName);
    Instant now = now();
    String first = pipeline.firstStage().name();
    TaskView task = newTask(processId, pipelineName, first, 1, 1, req.payload(), now, now, now);
    ProcessView process = ProcessView.builder()
        .id(processId).pipeline(pipelineName).customId(req.customId()).user(req.user())
        .status(ProcessStatus.RUNNING).payload(req.payload()).lastSeen(new LastSeen(first, now))
        .createdAt(now).deadlineAt(now.plus(pipeline.timeout())).currentTask(task.id()).attempts(1)
        .build();
    if (!ProcessRows.insert(c, process, StartBatch.startedBy(req))) {
      ProcessView existing =
          ProcessRows.findByCustomId(c, pipelineName, req.customId()).orElseThrow();
      // The whole request must match: the payload (JSON compared by value) and the user.
      boolean same = java.util.Objects.equals(existing.user(), req.user())
          && ProcessRows.samePayload(c, existing.id(), req.payload());
      return new StartResult(
          same ? StartResult.Result.ALREADY_EXISTS : StartResult.Result.CONFLICT, existing);
    }
    checkpoint.reached("start.process-inserted");
    TaskRows.insert(c, task);
    handoffs.outbox(c, List.of(task), now);
    checkpoint.reached("start.task-inserted");
    JournalRows.append(c, StartBatch.startEvents(process, task, now, req.actor()));
    return new StartResult(StartResult.Result.CREATED, process);
  }

  /**
   * Claims up to {@code max} tasks for a worker as the gate planned, and journals the claims. A
   * stage with a maxInFlight is counted and claimed under its in-flight lock, so its running
   * tasks never exceed the limit however many workers and nodes poll it; the lock is held to the
   * commit, where the next claimer's count sees these claims.
   */
  public List<TaskView> claim(Connection c, StageGate.Plan plan, int max, String worker)
      throws SQLException {
    return claim(c, plan, max, worker, new ArrayList<>());
  }

  /**
   * As {@link #claim(Connection, StageGate.Plan, int, String)}, adding to {@code times} the claim
   * times it wrote (the tasks' polledAt), by which a claim whose commit's outcome is unknown finds
   * its tasks.
   */
  public List<TaskView> claim(Connection c, StageGate.Plan plan, int max, String worker, List<Instant> times)
      throws SQLException {
    List<TaskView> claimed = new ArrayList<>();
    for (StageGate.Scoped s : plan.scoped()) {
      int want = max - claimed.size();
      if (want <= 0) break;
      if (s.maxInFlight() > 0) {
        TaskRows.lockInFlight(c, s.pipeline(), s.stage());
        want = Math.min(want, s.maxInFlight() - TaskRows.running(c, s.pipeline(), s.stage()));
        if (want <= 0) continue;
      }
      // The time is read after the lock, so a claim's polledAt is later than the finishedAt of
      // every task whose slot it took: the in-flight limit can be checked from timestamps.
      Instant at = claimTime();
      times.add(at);
      claimed.addAll(TaskRows.claimAt(c, s.pipeline(), s.stage(), want, worker, at));
    }
    if (!plan.fast().isEmpty() && claimed.size() < max) {
      Instant at = claimTime();
      times.add(at);
      claimed.addAll(TaskRows.claim(c, plan.fast(), max - claimed.size(), worker, at));
    }
    // Each claim statement journaled its claims; the processes' lastSeen follows from the tasks.
    return claimed;
  }

  /** Now, to the microsecond the database keeps, so a claim can be found by the time it wrote. */
  private Instant claimTime() {
    return now();
  }

  /** Records a heartbeat of a running attempt. */
  public void heartbeat(Connection c, UUID taskId) throws SQLException {
    Instant now = now();
    if (!TaskRows.heartbeat(c, taskId, now)) {
      TaskView t = TaskRows.find(c, taskId).orElseThrow(() -> new NotFoundException("task", taskId.toString()));
      // A worker of an amqp stage may heartbeat before (or instead of) saying it started.
      if (t.status() == TaskStatus.QUEUED && handoffs.brokered(t.pipeline(), t.stage())
          && !OutboxRows.start(c, List.of(taskId), IMPLICIT_WORKER, now).isEmpty()) {
        return;
      }
      throw stale(t);
    }
  }

  /**
   * Writes planned steps with one statement per table, whatever their number: the one write path
   * of reports, single or batched, and of fired timers. The checkpoint is passed between the
   * statements.
   */
  void writeSteps(Connection c, List<Step> steps) throws SQLException {
    if (steps.isEmpty()) return;
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
    checkpoint.reached("report.task-finished");
    if (!next.isEmpty()) {
      BatchRows.insert(c, next);
      handoffs.outbox(c, next, next.getFirst().enqueuedAt());
      checkpoint.reached("report.next-task-inserted");
    }
    BatchRows.update(c, after);
    handoffs.notifyEnds(c, after);
    for (Step s : steps) {
      if (s.parked()) ParkRows.stampAutoReplays(c, s.after().id());
    }
    checkpoint.reached("report.process-updated");
    JournalRows.append(c, events);
  }

  /** What a report changed: the ended attempt, the process after it, and the next task if any. */
  public record Reported(TaskView task, ProcessView process, TaskView next) {}

  TaskView newTask(UUID processId, String pipeline, String stage, int attempt, int ordinal,
      JsonNode input, Instant enqueued, Instant visible, Instant stageStarted) {
    return TaskView.builder()
        .id(ids.get()).processId(processId).pipeline(pipeline).stage(stage).attempt(attempt)
        .ordinal(ordinal).status(TaskStatus.QUEUED).input(input).enqueuedAt(enqueued)
        .stageStartedAt(stageStarted).visibleAt(visible)
        .build();
  }

  /**
   * The process moved to {@code status} at {@code stage}, seen now. What the previous state ended
   * with (finish time, output, error, lost reason, park) is cleared: the caller sets what this move
   * ends with.
   */
  static ProcessView.Builder moved(ProcessView p, ProcessStatus status, String stage, Instant now) {
    return p.toBuilder().status(status).lastSeen(new LastSeen(stage, now))
        .finishedAt(null).output(null).error(null).lostReason(null).park(null);
  }

  /** The process runs on with a new current task, which counts as one more attempt. */
  static ProcessView.Builder movedTo(ProcessView p, String stage, Instant now, UUID next) {
    return moved(p, ProcessStatus.RUNNING, stage, now).currentTask(next).attempts(p.attempts() + 1);
  }

  static ConflictException stale(TaskView t) {
    return new ConflictException(
        "task " + t.id() + " (attempt " + t.attempt() + " of stage '" + t.stage() + "') is no longer current: it is "
            + t.status() + "; its result was not applied and nothing changed",
        t.processId(), t.id());
  }
}
