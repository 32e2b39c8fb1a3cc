package dev.ridley.engine.internal;

import dev.ridley.engine.BrokerProtocol;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.internal.routing.Events;
import dev.ridley.engine.internal.routing.ReportBatch;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.OutboxRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.engine.tree.TraceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The broker transport's side of the engine: the outbox relay's leases and the events workers send
 * back through the broker. Reports take the one report path, as over HTTP.
 */
final class BrokerService implements BrokerProtocol {

  /** The amqp stages, in the order their in-flight locks are taken. */
  private record Brokered(String pipeline, String stage, int maxInFlight) {}

  private final Parts parts;
  private final WorkerProtocol workers;
  private final List<Brokered> stages;
  /** The amqp stages without a maxInFlight, as {@code <pipeline>/<stage>}: leased together. */
  private final List<String> unlimited;

  BrokerService(Parts parts, WorkerProtocol workers, Collection<Pipeline> pipelines) {
    this.parts = parts;
    this.workers = workers;
    List<Brokered> all = new ArrayList<>();
    for (Pipeline p : pipelines) {
      for (Stage s : p.stages()) {
        if (s.brokered()) all.add(new Brokered(p.name(), s.name(), s.maxInFlight()));
      }
    }
    all.sort(Comparator.comparing(Brokered::pipeline).thenComparing(Brokered::stage));
    this.stages = List.copyOf(all);
    this.unlimited = all.stream().filter(s -> s.maxInFlight() == 0).map(s -> s.pipeline() + "/" + s.stage()).toList();
  }

  /** Whether any loaded pipeline has an amqp stage. */
  boolean any() {
    return !stages.isEmpty();
  }

  @Override
  public List<ClaimedTask> lease(int max, Duration lease, Duration wait) throws InterruptedException {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1, was " + max);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (parts.wakeUps().draining() || stages.isEmpty()) return List.of();
      long seen = parts.wakeUps().generation();
      List<TaskView> leased = parts.db().tx(c -> {
        Db.relaxCommit(c);
        Instant now = parts.transitions().now();
        List<TaskView> out = new ArrayList<>();
        var paused = parts.gate().pauses().current();
        for (Brokered s : stages) {
          int want = max - out.size();
          if (want <= 0) break;
          if (s.maxInFlight() == 0 || paused.paused(s.pipeline(), s.stage())) continue;
          // The same lock as HTTP claims of a limited stage: counting and leasing are atomic.
          TaskRows.lockInFlight(c, s.pipeline(), s.stage());
          want = Math.min(want, s.maxInFlight() - OutboxRows.inFlight(c, s.pipeline(), s.stage(), now));
          if (want <= 0) continue;
          out.addAll(OutboxRows.lease(c, s.pipeline(), s.stage(), want, now, now.plus(lease)));
        }
        // The stages without a limit in one statement (pauses are checked in it).
        if (!unlimited.isEmpty() && out.size() < max) {
          out.addAll(OutboxRows.leaseAny(c, unlimited, max - out.size(), now, now.plus(lease)));
        }
        return out;
      });
      long left = deadline - System.nanoTime();
      if (!leased.isEmpty() || left <= 0) return leased.stream().map(this::toClaimed).toList();
      parts.wakeUps().awaitAfter(seen, Duration.ofNanos(Math.min(left, parts.pollRecheck().toNanos())));
    }
  }

  @Override
  public void published(Collection<UUID> taskIds) {
    if (taskIds.isEmpty()) return;
    parts.db().tx(c -> {
      Db.relaxCommit(c);
      OutboxRows.published(c, taskIds, parts.transitions().now());
      return null;
    });
  }

  @Override
  public void unleased(Collection<UUID> taskIds) {
    if (taskIds.isEmpty()) return;
    parts.db().tx(c -> {
      Db.relaxCommit(c);
      OutboxRows.unlease(c, taskIds);
      return null;
    });
  }

  @Override
  public List<UUID> started(String worker, Collection<UUID> taskIds) {
    Map<UUID, String> workers = new LinkedHashMap<>();
    for (UUID id : taskIds) workers.put(id, worker);
    return started(workers);
  }

  @Override
  public List<UUID> started(Map<UUID, String> workers) {
    if (workers.isEmpty()) return List.of();
    Map<UUID, String> named = named(workers);
    List<TaskView> started = parts.db().tx(c -> {
      // A claim lost in a crash of PostgreSQL is made again by the task's result (a result implies
      // it), so it need not wait for the disk.
      Db.relaxCommit(c);
      return OutboxRows.start(c, named, parts.transitions().now());
    });
    started.forEach(parts.transitions().observing()::claimed);
    return started.stream().map(TaskView::id).toList();
  }

  /** The workers as their claims name them: one that gave no id is {@link Transitions#IMPLICIT_WORKER}. */
  private static Map<UUID, String> named(Map<UUID, String> workers) {
    Map<UUID, String> named = new LinkedHashMap<>();
    workers.forEach((id, w) -> named.put(id, w == null || w.isBlank() ? Transitions.IMPLICIT_WORKER : w));
    return named;
  }

  @Override
  public List<ReportResult> report(List<TaskReport> reports) {
    return report(reports, Map.of());
  }

  @Override
  public List<ReportResult> report(List<TaskReport> reports, Map<UUID, String> startedBy) {
    if (reports.isEmpty()) return List.of();
    Set<UUID> endedBefore = parts.db().tx(c -> new HashSet<>(OutboxRows.ended(c,
        reports.stream().map(TaskReport::taskId).toList())));
    List<ReportResult> results = startedBy.isEmpty()
        ? workers.completeAll(reports)
        : ReportBatch.apply(parts.db(), parts.transitions(), reports, named(startedBy));
    if (!startedBy.isEmpty() && results.stream().anyMatch(ReportResult::applied)) {
      parts.wakeUps().wake(); // as completeAll: next tasks were queued, or slots freed
    }
    List<Refusal> refusals = new ArrayList<>();
    for (ReportResult r : results) {
      if (r.applied() && endedBefore.contains(r.taskId())) {
        refusals.add(new Refusal(r.taskId(), "duplicate",
            "the same result was applied before; it changed nothing"));
      } else if (r.refused() instanceof ConflictException conflict) {
        refusals.add(new Refusal(r.taskId(), "stale", conflict.getMessage()));
      }
    }
    if (!refusals.isEmpty()) journal(refusals);
    return results;
  }

  private record Refusal(UUID taskId, String reason, String detail) {}

  private void journal(List<Refusal> refusals) {
    parts.db().tx(c -> {
      Instant now = parts.transitions().now();
      List<JournalEvent> events = new ArrayList<>();
      for (Refusal r : refusals) {
        TaskRows.find(c, r.taskId()).ifPresent(t -> events.add(Events.ofTask(t, now,
            JournalEvent.TASK_RESULT_REFUSED,
            Events.data().put("transport", "amqp").put("reason", r.reason()).put("detail", r.detail()))));
      }
      JournalRows.append(c, events);
      return null;
    });
  }

  @Override
  public void refused(UUID taskId, String detail) {
    journal(List.of(new Refusal(taskId, "invalid", detail)));
  }

  @Override
  public long backlog() {
    return stages.isEmpty() ? 0 : parts.db().tx(OutboxRows::backlog);
  }

  /** Deletes the entries of ended tasks, a bounded batch per sweep. */
  void tidy() {
    parts.db().tx(c -> OutboxRows.tidy(c, 1000));
  }

  private ClaimedTask toClaimed(TaskView t) {
    Duration heartbeat =
        parts.pipeline(t.pipeline()).stage(t.stage()).map(s -> s.timeouts().heartbeat()).orElse(null);
    return new ClaimedTask(t.id(), t.processId(), t.pipeline(), t.stage(), t.attempt(), t.input(),
        TraceIds.forTask(t.processId(), t.ordinal()), heartbeat);
  }
}
