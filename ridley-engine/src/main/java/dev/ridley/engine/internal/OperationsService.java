package dev.ridley.engine.internal;

import dev.ridley.engine.ConflictException;
import dev.ridley.engine.EndedProcess;
import dev.ridley.engine.Health;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.MinuteCounts;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.Notification;
import dev.ridley.engine.NotificationCounts;
import dev.ridley.engine.Operations;
import dev.ridley.engine.ProcessPage;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.Processes;
import dev.ridley.engine.StageCounts;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.WorkerSeen;
import dev.ridley.engine.internal.dispatch.Pauses;
import dev.ridley.engine.internal.dispatch.Sightings;
import dev.ridley.engine.internal.retention.Retention;
import dev.ridley.engine.internal.routing.Deliveries;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.internal.store.HealthRows;
import dev.ridley.engine.internal.store.JournalFeed;
import dev.ridley.engine.internal.store.NotificationRows;
import dev.ridley.engine.internal.store.StatsRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.internal.store.ThroughputRows;
import dev.ridley.engine.internal.store.WorkerRows;
import dev.ridley.engine.internal.sweep.Sweeper;
import dev.ridley.engine.pipeline.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Replays, cancels, pauses, and the views from above. */
final class OperationsService implements Operations {

  private final Parts parts;
  private final Processes processes;
  private final Sweeper sweeper;
  private final Retention retention;
  private final Supplier<List<LoopHealth>> loops;
  private final Deliveries deliveries;

  OperationsService(Parts parts, Processes processes, Sweeper sweeper, Retention retention,
      Supplier<List<LoopHealth>> loops) {
    this.parts = parts;
    this.loops = loops;
    this.deliveries = new Deliveries(parts.transitions());
    this.processes = processes;
    this.sweeper = sweeper;
    this.retention = retention;
  }

  @Override
  public ProcessView replay(UUID processId, String fromStage, String actor) {
    parts.db().tx(c -> parts.interventions().replay(c, processId, fromStage, "api", actor));
    parts.wakeUps().wake();
    return processes.process(processId).orElseThrow();
  }

  @Override
  public int replayAll(ProcessQuery filter, String fromStage, String actor) {
    if (filter.status() != null && !Interventions.REPLAYABLE.contains(filter.status())) {
      throw new InvalidRequestException(
          "a bulk replay applies to FAILED, LOST or PARKED processes, not " + filter.status());
    }
    if (fromStage != null) {
      if (filter.pipeline() == null) {
        throw new InvalidRequestException(
            "a bulk replay with a fromStage needs the filter's pipeline, since stages belong to a pipeline");
      }
      Pipeline pipeline = parts.transitions().pipeline(filter.pipeline());
      if (pipeline.stage(fromStage).isEmpty()) {
        throw new InvalidRequestException("pipeline '" + pipeline.name() + "' has no stage '" + fromStage
            + "'; its stages: " + pipeline.stages().stream().map(s -> s.name()).toList());
      }
    }
    List<ProcessStatus> statuses =
        filter.status() != null ? List.of(filter.status()) : List.copyOf(Interventions.REPLAYABLE);
    int replayed = 0;
    for (ProcessStatus status : statuses) {
      ProcessQuery q = filter.withStatus(status).withLimit(ProcessQuery.MAX_LIMIT).withAfter(null);
      while (true) {
        ProcessPage page = processes.search(q);
        for (ProcessView p : page.items()) {
          try {
            parts.db().tx(c -> parts.interventions().replay(c, p.id(), fromStage, "bulk", actor));
            replayed++;
          } catch (ConflictException moved) {
            // it changed state since the search (replayed or cancelled by someone else): skip it
          } catch (InvalidRequestException neverReached) {
            // it never reached fromStage, so there is no input to resume it with: skip it
          }
        }
        if (page.nextCursor() == null) break;
        q = q.withAfter(page.nextCursor());
      }
    }
    if (replayed > 0) parts.wakeUps().wake();
    return replayed;
  }

  @Override
  public ProcessView cancel(UUID processId, String reason, String actor) {
    ProcessView cancelled = parts.db().tx(c -> parts.interventions().cancel(c, processId, reason, actor));
    parts.transitions().observing().processMoved(cancelled);
    return cancelled;
  }

  @Override
  public void pause(String pipeline, String stage, String actor) {
    parts.gate().pauses().set(pipeline, stagesOf(pipeline, stage), true, parts.transitions().now(), actor);
  }

  @Override
  public void resume(String pipeline, String stage, String actor) {
    parts.gate().pauses().set(pipeline, stagesOf(pipeline, stage), false, parts.transitions().now(), actor);
    parts.wakeUps().wake();
  }

  @Override
  public Map<String, Boolean> paused(String pipeline) {
    Pipeline p = parts.pipeline(pipeline);
    Pauses.Snapshot now = parts.gate().pauses().current();
    Map<String, Boolean> out = new LinkedHashMap<>();
    p.stages().forEach(s -> out.put(s.name(), now.paused(p.name(), s.name())));
    return out;
  }

  @Override
  public Map<String, StageCounts> stageCounts(String pipeline) {
    Pipeline p = parts.pipeline(pipeline);
    return parts.db().read(c -> StatsRows.stageCounts(c, p, parts.transitions().now()));
  }

  @Override
  public Map<String, List<WorkerSeen>> workersSeen(String pipeline) {
    List<String> stages = parts.stageNames(pipeline);
    Instant since = parts.transitions().now().minus(Sightings.WINDOW);
    return parts.db().read(c -> WorkerRows.seenSince(c, stages, since));
  }

  @Override
  public List<TaskView> nextTasks(String pipeline, String stage, int limit) {
    List<String> stages = parts.stageNames(pipeline);
    if (!stages.contains(stage)) {
      throw new NotFoundException("stage", stage, "pipeline '" + pipeline + "' has no stage '" + stage
          + "'; its stages: " + stages);
    }
    if (limit < 1 || limit > WorkerProtocol.MAX_POLL_BATCH) {
      throw new InvalidRequestException(
          "limit must be between 1 and " + WorkerProtocol.MAX_POLL_BATCH + ", was " + limit);
    }
    return parts.db().read(c -> TaskRows.next(c, pipeline, stage, limit));
  }

  @Override
  public List<MinuteCounts> throughput(Instant from, Instant to) {
    return parts.db().read(c -> ThroughputRows.perMinute(c, from, to));
  }

  @Override
  public long journalHead() {
    return parts.db().read(JournalFeed::head);
  }

  @Override
  public List<EndedProcess> endedAfter(long position, Instant settled, int limit) {
    return parts.db().read(c -> JournalFeed.endedAfter(c, position, settled, limit));
  }

  @Override
  public int sweepOnce() {
    return sweeper.sweepOnce();
  }

  @Override
  public int purgeExpired() {
    return retention.purgeAll();
  }

  @Override
  public boolean healthy() {
    return writeProblem() == null;
  }

  @Override
  public Health health() {
    String problem = writeProblem();
    return new Health(problem == null, problem, loops.get());
  }

  /** Why the database takes no write now, or null when it does. */
  private String writeProblem() {
    try {
      return parts.db().tx(HealthRows::writeProblem);
    } catch (RuntimeException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  private List<String> stagesOf(String pipeline, String stage) {
    List<String> all = parts.stageNames(pipeline);
    if (stage == null) return all;
    if (!all.contains(stage)) {
      throw new InvalidRequestException(
          "pipeline '" + pipeline + "' has no stage '" + stage + "'; its stages: " + all);
    }
    return List.of(stage);
  }

  @Override
  public List<Notification> claimNotifications(int max, Duration lease) {
    return parts.db().tx(c -> deliveries.claim(c, max, lease));
  }

  @Override
  public boolean notificationDelivered(Notification n) {
    return parts.db().tx(c -> deliveries.delivered(c, n));
  }

  @Override
  public boolean notificationFailed(Notification n, String error, Duration retryIn) {
    return parts.db().tx(c -> deliveries.failed(c, n, error, retryIn));
  }

  @Override
  public NotificationCounts notificationCounts() {
    return parts.db().read(NotificationRows::counts);
  }
}
