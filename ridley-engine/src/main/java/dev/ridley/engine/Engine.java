package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.uuid.Generators;
import dev.ridley.engine.internal.dispatch.CrossNodeWakeUps;
import dev.ridley.engine.internal.dispatch.GroupCommit;
import dev.ridley.engine.internal.dispatch.Pauses;
import dev.ridley.engine.internal.dispatch.Sightings;
import dev.ridley.engine.internal.dispatch.StageGate;
import dev.ridley.engine.internal.dispatch.WakeUps;
import dev.ridley.engine.internal.park.AutoReplay;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.internal.routing.Checkpoint;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.internal.sweep.Sweeper;
import dev.ridley.engine.internal.routing.Report;
import dev.ridley.engine.internal.routing.ReportBatch;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.StatsRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.internal.store.WorkerRows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Ridley's engine: starts processes, hands tasks to workers, applies their results and routes
 * each process on. Stateless apart from its connection pool; any number of engines may share one
 * database.
 *
 * <pre>{@code
 * Engine engine = Engine.builder(dataSource).pipelines(PipelineLoader.loadDirectory(dir)).build();
 * }</pre>
 */
public final class Engine implements AutoCloseable {

  /** How often a long-polling worker looks again even without a wake-up (work from other nodes). */
  public static final Duration DEFAULT_POLL_RECHECK = Duration.ofMillis(250);
  /** The longest a poll may wait. */
  public static final Duration MAX_POLL_WAIT = Duration.ofSeconds(60);
  public static final int MAX_POLL_BATCH = 1000;

  /** One generator for every id: making one per id seeded a SecureRandom each time. */
  private static final com.fasterxml.uuid.impl.TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

  /** Reports that share a transaction at most, and batches that commit at once at most. */
  public static final int DEFAULT_GROUP_COMMIT_FLUSHERS = 4;

  private final Db db;
  private final Map<String, Pipeline> pipelines;
  private final Set<String> stageNames;
  private final Transitions transitions;
  private final WakeUps wakeUps = new WakeUps();
  private final Duration pollRecheck;
  private final Interventions interventions;
  private final Sweeper sweeper;
  private final StageGate gate;
  private final Sightings sightings;
  /** Concurrent single reports share transactions; null with a test checkpoint (see report). */
  private final GroupCommit<TaskReport, ReportResult> groupCommit;
  /** LISTEN/NOTIFY between nodes; null when switched off. */
  private final CrossNodeWakeUps crossNode;

  Engine(EngineBuilder b) {
    this.db = new Db(b.dataSource);
    this.pipelines = b.pipelines;
    this.stageNames =
        b.pipelines.values().stream()
            .flatMap(p -> p.stages().stream().map(s -> s.name()))
            .collect(Collectors.toUnmodifiableSet());
    this.transitions =
        new Transitions(b.pipelines, b.clock, IDS::generate, b.checkpoint);
    this.pollRecheck = b.pollRecheck;
    this.interventions = new Interventions(transitions);
    Pauses pauses = new Pauses(db);
    this.gate = new StageGate(b.pipelines.values(), pauses);
    this.sightings = new Sightings(db);
    this.crossNode = b.crossNodeWakeUps ? new CrossNodeWakeUps(b.dataSource, wakeUps::wakeLocal) : null;
    if (crossNode != null) wakeUps.publishTo(crossNode::publish);
    this.groupCommit = b.checkpoint == Checkpoint.NONE
        ? new GroupCommit<>(b.groupCommitFlushers, ReportBatch.MAX, this::applyReports)
        : null;
    this.sweeper = new Sweeper(db, transitions, b.pipelines.values(), r -> {
      if (r.next() != null || gate.limited(r.task().pipeline(), r.task().stage())) wakeUps.wake();
    }, pauses);
    AutoReplay autoReplay =
        new AutoReplay(db, transitions, interventions, b.pipelines.values(), wakeUps::wake);
    sweeper.alsoRun(autoReplay::runOnce);
    sweeper.alsoRun(() -> sightings.tidy(transitions.now()));
  }

  public static EngineBuilder builder(DataSource dataSource) {
    return new EngineBuilder(dataSource);
  }

  /** Applies the schema migrations to the database; safe to run on every start, on every node. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).load().migrate();
  }

  public Collection<Pipeline> pipelines() {
    return pipelines.values();
  }

  /** @throws NotFoundException when no pipeline has that name */
  public Pipeline pipeline(String name) {
    return transitions.pipeline(name);
  }

  /**
   * Starts a process at the pipeline's first stage, atomically with its first task and journal.
   * With a customId already used in this pipeline, nothing is created: the answer is the existing
   * process, as ALREADY_EXISTS (same payload) or CONFLICT (another payload).
   */
  public StartResult start(String pipeline, StartRequest request) {
    if (request.payload() == null) {
      throw new InvalidRequestException("a process needs a payload (any JSON value, e.g. {})");
    }
    StartResult result = db.tx(c -> transitions.start(c, pipeline, request));
    if (result.result() == StartResult.Result.CREATED) {
      wakeUps.wake();
    }
    return result;
  }

  public Optional<ProcessView> process(UUID id) {
    return db.read(c -> ProcessRows.find(c, id));
  }

  public ProcessPage search(ProcessQuery query) {
    List<ProcessView> rows = db.read(c -> ProcessRows.search(c, query));
    if (rows.size() > query.limit()) {
      List<ProcessView> page = rows.subList(0, query.limit());
      return new ProcessPage(List.copyOf(page), page.getLast().id());
    }
    return new ProcessPage(rows, null);
  }

  /** The journal of a process, oldest first. */
  public List<JournalEvent> events(UUID processId) {
    return db.read(
        c -> {
          requireProcess(c, processId);
          return JournalRows.ofProcess(c, processId);
        });
  }

  /** Every attempt of a process, in the order they were enqueued. */
  public List<TaskView> tasks(UUID processId) {
    return db.read(
        c -> {
          requireProcess(c, processId);
          return TaskRows.ofProcess(c, processId);
        });
  }

  public Map<String, StageCounts> stageCounts(String pipeline) {
    Pipeline p = pipeline(pipeline);
    return db.read(c -> StatsRows.stageCounts(c, p, transitions.now()));
  }

  /**
   * Claims up to {@code max} tasks of the named stages for {@code worker}, waiting up to {@code
   * wait} for one to arrive. Returns an empty list when none came in time.
   */
  public List<ClaimedTask> poll(String worker, List<String> stages, int max, Duration wait)
      throws InterruptedException {
    validatePoll(worker, stages, max, wait);
    sightings.polled(worker, stages, transitions.now());
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long seen = wakeUps.generation();
      StageGate.Plan plan = gate.plan(stages);
      List<TaskView> claimed =
          plan.fast().isEmpty() && plan.scoped().isEmpty()
              ? List.of() // every stage asked for is paused
              : db.tx(c -> transitions.claim(c, plan, max, worker));
      long left = deadline - System.nanoTime();
      if (!claimed.isEmpty() || left <= 0) {
        return claimed.stream().map(this::toClaimed).toList();
      }
      wakeUps.awaitAfter(seen, Duration.ofNanos(Math.min(left, pollRecheck.toNanos())));
    }
  }

  /** @throws ConflictException when the attempt is no longer current: the worker should abandon it */
  public void heartbeat(UUID taskId) {
    db.tx(
        c -> {
          transitions.heartbeat(c, taskId);
          return null;
        });
  }

  /** Reports an attempt's outcome ({@code ok} or a named one) with its output, and routes on. */
  public TaskResult complete(UUID taskId, String outcome, JsonNode output) {
    return complete(taskId, outcome, output, null);
  }

  /**
   * As {@link #complete(UUID, String, JsonNode)}, with the Eliot messages the worker logged
   * inside its handler (a JSON array), kept with the attempt for the process's tree.
   */
  public TaskResult complete(UUID taskId, String outcome, JsonNode output, JsonNode actions) {
    String name = outcome == null ? Report.OK : outcome;
    if (!name.matches("[a-z][a-z0-9_-]*") || name.equals(Report.FAILED) || name.equals(Report.TIMEOUT)) {
      throw new InvalidRequestException(
          "outcome '" + name + "' is not allowed here: use lowercase letters, digits, '-' or '_';"
              + " report 'failed' through /fail, and 'timeout' is set by the engine only");
    }
    JsonNode logged = actions(actions);
    return report(taskId, TaskReport.outcome(taskId, name, output, logged), Report.outcome(name, output, logged));
  }

  /** Reports a failed attempt; it is retried by the stage's policy, then routed as {@code failed}. */
  public TaskResult fail(UUID taskId, ErrorInfo error, boolean retryable) {
    return fail(taskId, error, retryable, null);
  }

  /** As {@link #fail(UUID, ErrorInfo, boolean)}, with the worker's logged actions. */
  public TaskResult fail(UUID taskId, ErrorInfo error, boolean retryable, JsonNode actions) {
    JsonNode logged = actions(actions);
    return report(taskId, TaskReport.failed(taskId, error, retryable, logged), Report.failed(error, retryable, logged));
  }

  private static JsonNode actions(JsonNode actions) {
    if (actions == null || actions.isNull() || actions.isMissingNode()) {
      return null;
    }
    if (!actions.isArray()) {
      throw new InvalidRequestException("'actions' must be a list of Eliot messages (JSON objects)");
    }
    return actions;
  }

  /**
   * Applies many reports in one transaction (group commit): one commit for all of them. Each is
   * checked and routed as if reported alone; a stale attempt or unknown task is refused alone and
   * changes nothing, the others go on. Answers come in the order given.
   */
  public List<ReportResult> completeAll(List<TaskReport> reports) {
    return applyReports(reports);
  }

  private List<ReportResult> applyReports(List<TaskReport> reports) {
    List<ReportResult> results = ReportBatch.apply(db, transitions, reports);
    if (results.stream().anyMatch(ReportResult::applied)) {
      wakeUps.wake(); // next tasks were queued, or slots of limited stages freed
    }
    return results;
  }

  /**
   * A single report. Under load, concurrent ones are gathered into shared transactions by the
   * group commit; alone, one runs at once. With a test checkpoint, each takes its own transaction
   * through the single-report path, whose statements the checkpoint interrupts.
   */
  private TaskResult report(UUID taskId, TaskReport asValue, Report report) {
    if (groupCommit != null) {
      ReportResult r = groupCommit.submit(asValue);
      if (!r.applied()) throw r.refused();
      return r.result();
    }
    Transitions.Reported r = db.tx(c -> transitions.report(c, taskId, report));
    // A finished task of a limited stage frees a slot that pollers of that stage may be waiting for.
    if (r.next() != null || gate.limited(r.task().pipeline(), r.task().stage())) {
      wakeUps.wake();
    }
    return new TaskResult(r.task(), r.process());
  }

  /**
   * Resumes a FAILED, LOST or PARKED process as a new attempt at {@code fromStage}, or where it
   * stopped (a parked process: where its park route says).
   *
   * @throws ConflictException when the process is in a state a replay makes no sense for
   */
  public ProcessView replay(UUID processId, String fromStage) {
    db.tx(c -> interventions.replay(c, processId, fromStage, "api"));
    wakeUps.wake();
    return process(processId).orElseThrow();
  }

  /**
   * Replays every FAILED, LOST or PARKED process the query matches (its status, if given, must be
   * one of those); returns how many were replayed. Each replay is its own transaction.
   */
  public int replayAll(ProcessQuery filter) {
    if (filter.status() != null && !Interventions.REPLAYABLE.contains(filter.status())) {
      throw new InvalidRequestException("a bulk replay applies to FAILED, LOST or PARKED processes, not " + filter.status());
    }
    List<ProcessStatus> statuses = filter.status() != null ? List.of(filter.status()) : List.copyOf(Interventions.REPLAYABLE);
    int replayed = 0;
    for (ProcessStatus status : statuses) {
      ProcessQuery q = filter.withStatus(status).withLimit(ProcessQuery.MAX_LIMIT).withAfter(null);
      while (true) {
        ProcessPage page = search(q);
        for (ProcessView p : page.items()) {
          try {
            db.tx(c -> interventions.replay(c, p.id(), null, "bulk"));
            replayed++;
          } catch (ConflictException moved) {
            // it changed state since the search (replayed or cancelled by someone else): skip it
          }
        }
        if (page.nextCursor() == null) break;
        q = q.withAfter(page.nextCursor());
      }
    }
    if (replayed > 0) wakeUps.wake();
    return replayed;
  }

  /** Cancels a RUNNING or PARKED process; a worker still on its attempt gets 409 and abandons it. */
  public ProcessView cancel(UUID processId, String reason) {
    return db.tx(c -> interventions.cancel(c, processId, reason));
  }

  /**
   * Pauses a stage, or with a null {@code stage} every stage of the pipeline, on every node: their
   * queued tasks stay queued and are not claimed, running ones finish, starts are still accepted.
   */
  public void pause(String pipeline, String stage) {
    gate.pauses().set(pipeline, stagesOf(pipeline, stage), true, transitions.now());
  }

  /** Resumes a stage, or with a null {@code stage} every stage of the pipeline. */
  public void resume(String pipeline, String stage) {
    gate.pauses().set(pipeline, stagesOf(pipeline, stage), false, transitions.now());
    wakeUps.wake();
  }

  /** Whether each stage of the pipeline is paused, in stage order (as this node saw it last). */
  public Map<String, Boolean> paused(String pipeline) {
    Pipeline p = pipeline(pipeline);
    Pauses.Snapshot now = gate.pauses().current();
    Map<String, Boolean> out = new LinkedHashMap<>();
    p.stages().forEach(s -> out.put(s.name(), now.paused(p.name(), s.name())));
    return out;
  }

  /** The workers that polled each stage of the pipeline in the last {@link Sightings#WINDOW}. */
  public Map<String, List<WorkerSeen>> workersSeen(String pipeline) {
    List<String> stages = pipeline(pipeline).stages().stream().map(s -> s.name()).toList();
    Instant since = transitions.now().minus(Sightings.WINDOW);
    return db.read(c -> WorkerRows.seenSince(c, stages, since));
  }

  /** The next {@code limit} queued tasks of a stage, in the order workers will claim them. */
  public List<TaskView> nextTasks(String pipeline, String stage, int limit) {
    Pipeline p = pipeline(pipeline);
    if (p.stage(stage).isEmpty()) {
      throw new NotFoundException("stage", stage, "pipeline '" + pipeline + "' has no stage '" + stage
          + "'; its stages: " + p.stages().stream().map(s -> s.name()).toList());
    }
    if (limit < 1 || limit > MAX_POLL_BATCH) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_POLL_BATCH + ", was " + limit);
    }
    return db.read(c -> TaskRows.next(c, pipeline, stage, limit));
  }

  private List<String> stagesOf(String pipeline, String stage) {
    Pipeline p = pipeline(pipeline);
    List<String> all = p.stages().stream().map(s -> s.name()).toList();
    if (stage == null) return all;
    if (!all.contains(stage)) {
      throw new InvalidRequestException("pipeline '" + pipeline + "' has no stage '" + stage + "'; its stages: " + all);
    }
    return List.of(stage);
  }

  /** Fires every timer due now, once; the background sweeper calls this periodically. */
  public int sweepOnce() {
    return sweeper.sweepOnce();
  }

  /** Starts the background sweeper (every server node runs one). */
  public void startSweeper(Duration interval) {
    sweeper.start(interval);
  }

  /** Stops the background sweeper. The connection pool belongs to the caller. */
  @Override
  public void close() {
    sweeper.close();
    if (crossNode != null) crossNode.close();
  }

  /** Whether the database answers. */
  public boolean healthy() {
    try {
      return db.read(c -> c.isValid(2));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Internal machinery for the timer and routing packages. */
  public Db db() {
    return db;
  }

  public Transitions transitions() {
    return transitions;
  }

  public WakeUps wakeUps() {
    return wakeUps;
  }

  private void validatePoll(String worker, List<String> stages, int max, Duration wait) {
    if (worker == null || worker.isBlank()) {
      throw new InvalidRequestException("a poll needs a 'worker' id, e.g. \"divide-1\"");
    }
    if (stages == null || stages.isEmpty()) {
      throw new InvalidRequestException("a poll needs 'stages': the stage names this worker handles");
    }
    List<String> unknown = new ArrayList<>();
    for (String s : stages) {
      if (!stageNames.contains(s)) unknown.add(s);
    }
    if (!unknown.isEmpty()) {
      throw new InvalidRequestException(
          "unknown stage(s) " + unknown + "; stages of the loaded pipelines: " + stageNames.stream().sorted().toList());
    }
    if (max < 1 || max > MAX_POLL_BATCH) {
      throw new InvalidRequestException("'max' must be between 1 and " + MAX_POLL_BATCH + ", was " + max);
    }
    if (wait.isNegative() || wait.compareTo(MAX_POLL_WAIT) > 0) {
      throw new InvalidRequestException("'waitMs' must be between 0 and " + MAX_POLL_WAIT.toMillis() + ", was " + wait.toMillis());
    }
  }

  private ClaimedTask toClaimed(TaskView t) {
    Duration heartbeat =
        pipeline(t.pipeline()).stage(t.stage()).map(s -> s.timeouts().heartbeat()).orElse(null);
    return new ClaimedTask(
        t.id(), t.processId(), t.pipeline(), t.stage(), t.attempt(), t.input(),
        dev.ridley.engine.tree.TraceIds.forTask(t.processId(), t.ordinal()), heartbeat);
  }

  private static void requireProcess(java.sql.Connection c, UUID id) throws java.sql.SQLException {
    if (ProcessRows.find(c, id).isEmpty()) {
      throw new NotFoundException("process", id.toString());
    }
  }
}
