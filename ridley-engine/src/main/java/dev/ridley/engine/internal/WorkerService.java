package dev.ridley.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.TaskResult;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.internal.dispatch.GroupCommit;
import dev.ridley.engine.internal.dispatch.StageGate;
import dev.ridley.engine.internal.routing.ReportBatch;
import dev.ridley.engine.internal.routing.ReportChecks;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.tree.TraceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The worker protocol. Every report, single or in a batch, takes the one report path ({@link
 * ReportBatch}): a single report is a batch of one, gathered with concurrent ones into a shared
 * transaction by the group commit when there is one.
 */
final class WorkerService implements WorkerProtocol {

  private final Parts parts;
  private final Set<String> stageNames;
  /** Concurrent single reports share transactions; null when each must run alone (test checkpoints). */
  private final GroupCommit<TaskReport, ReportResult> groupCommit;

  WorkerService(Parts parts, Set<String> stageNames, int groupCommitFlushers) {
    this.parts = parts;
    this.stageNames = Set.copyOf(stageNames);
    this.groupCommit = groupCommitFlushers > 0
        ? new GroupCommit<>(groupCommitFlushers, MAX_REPORT_BATCH, this::completeAll)
        : null;
  }

  @Override
  public List<ClaimedTask> poll(String worker, List<String> stages, int max, Duration wait, BooleanSupplier wanted)
      throws InterruptedException {
    validatePoll(worker, stages, max, wait);
    parts.sightings().polled(worker, stages, parts.transitions().now());
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (parts.wakeUps().draining()) return List.of(); // the node is stopping: no new work
      if (!wanted.getAsBoolean()) {
        return List.of(); // nobody waits for the answer: claim nothing
      }
      long seen = parts.wakeUps().generation();
      StageGate.Plan plan = parts.gate().plan(stages);
      List<TaskView> claimed;
      List<Instant> times = new ArrayList<>();
      try {
        claimed = plan.fast().isEmpty() && plan.scoped().isEmpty()
            ? List.of() // every stage asked for is paused
            : parts.db().tx(c -> {
              // A claim lost with the last moments of a crashed database hands its tasks out
              // again (at least once, as after a worker's silence); it is not worth a disk flush
              // on the way from a start to its handler.
              Db.relaxCommit(c);
              return parts.transitions().claim(c, plan, max, worker, times);
            });
      } catch (CommitOutcomeUnknownException unknown) {
        // The claim may have committed, and nobody will be told which tasks it took: they would
        // wait for their pollToEnd timer. Find them by their claim time and put them back at once.
        releaseUnknownClaim(worker, times);
        throw unknown;
      }
      long left = deadline - System.nanoTime();
      if (!claimed.isEmpty() || left <= 0) {
        claimed.forEach(parts.transitions().observing()::claimed);
        return claimed.stream().map(this::toClaimed).toList();
      }
      parts.wakeUps().awaitAfter(seen, Duration.ofNanos(Math.min(left, parts.pollRecheck().toNanos())));
    }
  }

  @Override
  public int release(String worker, List<UUID> taskIds, String reason) {
    if (taskIds.isEmpty()) return 0;
    List<TaskView> released =
        parts.db().tx(c -> TaskRows.release(c, taskIds, worker, reason, parts.transitions().now()));
    if (!released.isEmpty()) parts.wakeUps().wake();
    return released.size();
  }

  /**
   * After a claim whose commit's outcome is unknown: the tasks it took, if it committed, are the
   * ones running for this worker claimed at the times it wrote. Best effort: when the database
   * cannot be asked, their pollToEnd timer frees them.
   */
  private void releaseUnknownClaim(String worker, List<Instant> times) {
    if (times.isEmpty()) return;
    for (int tries = 1; tries <= 3; tries++) {
      try {
        List<TaskView> released = parts.db().tx(c -> TaskRows.releaseClaimedAt(
            c, worker, times, "the claim's commit outcome was unknown", parts.transitions().now()));
        if (!released.isEmpty()) parts.wakeUps().wake();
        return;
      } catch (RuntimeException e) {
        Db.backOff(tries); // then the timers free them
      }
    }
  }

  @Override
  public void heartbeat(UUID taskId) {
    parts.db().tx(c -> {
      parts.transitions().heartbeat(c, taskId);
      return null;
    });
  }

  @Override
  public TaskResult complete(UUID taskId, String outcome, JsonNode output, JsonNode actions) {
    return report(ReportChecks.completion(taskId, outcome, output, actions));
  }

  @Override
  public TaskResult fail(UUID taskId, ErrorInfo error, boolean retryable, JsonNode actions) {
    return report(TaskReport.failed(taskId, error, retryable, actions));
  }

  @Override
  public List<ReportResult> completeAll(List<TaskReport> reports) {
    List<ReportResult> results = ReportBatch.apply(parts.db(), parts.transitions(), reports);
    if (results.stream().anyMatch(ReportResult::applied)) {
      parts.wakeUps().wake(); // next tasks were queued, or slots of limited stages freed
    }
    return results;
  }

  /** A single report: a batch of one, or one item of a gathered batch; checked there. */
  private TaskResult report(TaskReport report) {
    ReportResult r = groupCommit != null
        ? groupCommit.submit(report)
        : completeAll(List.of(report)).getFirst();
    if (!r.applied()) throw r.refused();
    return r.result();
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
      throw new InvalidRequestException(
          "'waitMs' must be between 0 and " + MAX_POLL_WAIT.toMillis() + ", was " + wait.toMillis());
    }
  }

  private ClaimedTask toClaimed(TaskView t) {
    Duration heartbeat =
        parts.pipeline(t.pipeline()).stage(t.stage()).map(s -> s.timeouts().heartbeat()).orElse(null);
    return new ClaimedTask(t.id(), t.processId(), t.pipeline(), t.stage(), t.attempt(), t.input(),
        TraceIds.forTask(t.processId(), t.ordinal()), heartbeat);
  }
}
