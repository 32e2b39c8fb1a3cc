package dev.ridley.engine.internal;

import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ProcessPage;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.Processes;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.StartAnswer;
import dev.ridley.engine.internal.dispatch.EndWaiters;
import dev.ridley.engine.internal.dispatch.GroupCommit;
import dev.ridley.engine.internal.routing.StartBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starting processes and reading them back. Every start takes the one start path ({@link
 * StartBatch}): a bulk start is one batch; a single start is a batch of one, gathered with
 * concurrent ones into a shared transaction by the group commit when there is one, and answered
 * only once that transaction committed.
 */
final class ProcessService implements Processes {

  private final Parts parts;
  /** Concurrent single starts share transactions; null when each must run alone (test checkpoints). */
  private final GroupCommit<StartBatch.Start, StartAnswer> groupCommit;

  ProcessService(Parts parts, int groupCommitFlushers) {
    this.parts = parts;
    this.groupCommit = groupCommitFlushers > 0
        ? new GroupCommit<>(groupCommitFlushers, MAX_START_BATCH, this::run)
        : null;
  }

  @Override
  public StartResult start(String pipeline, StartRequest request) {
    if (request.payload() == null) {
      throw new InvalidRequestException("a process needs a payload (any JSON value, e.g. {})");
    }
    parts.pipeline(pipeline); // 404 before queueing
    StartBatch.Start start = new StartBatch.Start(pipeline, request, parts.transitions().newId());
    StartAnswer answer = groupCommit != null ? groupCommit.submit(start) : run(List.of(start)).getFirst();
    if (!answer.applied()) throw answer.refused();
    return answer.started();
  }

  @Override
  public List<StartAnswer> startAll(String pipeline, List<StartRequest> requests) {
    parts.pipeline(pipeline);
    if (requests.size() > MAX_START_BATCH) {
      throw new InvalidRequestException("a batch takes at most " + MAX_START_BATCH + " starts, got " + requests.size());
    }
    List<StartBatch.Start> starts = new ArrayList<>(requests.size());
    for (StartRequest r : requests) starts.add(new StartBatch.Start(pipeline, r, parts.transitions().newId()));
    return run(starts);
  }

  /** Starts a batch, then wakes the pollers and tells the observer of the processes it created. */
  private List<StartAnswer> run(List<StartBatch.Start> starts) {
    List<StartAnswer> answers = StartBatch.apply(parts.db(), parts.transitions(), starts);
    boolean created = false;
    for (StartAnswer a : answers) {
      if (a.applied() && a.started().result() == StartResult.Result.CREATED) {
        created = true;
        parts.transitions().observing().started(a.started().process().pipeline());
      }
    }
    if (created) parts.wakeUps().wake();
    return answers;
  }

  @Override
  public Optional<ProcessView> awaitEnd(UUID id, Duration max) throws InterruptedException {
    if (max.isNegative() || max.compareTo(MAX_AWAIT) > 0) {
      throw new InvalidRequestException("a wait must be between 0 and " + MAX_AWAIT.toMillis() + " ms, was "
          + max.toMillis() + " ms");
    }
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      // Registered before the read: an end committed after the read wakes this wait.
      try (EndWaiters.Wait wait = parts.endWaiters().register(id)) {
        Optional<ProcessView> p = process(id);
        long left = deadline - System.nanoTime();
        if (p.isEmpty() || p.get().status().isTerminal() || left <= 0) return p;
        if (!wait.await(Duration.ofNanos(left))) {
          Optional<ProcessView> now = process(id);
          return now.isPresent() ? now : p;
        }
      }
      // Woken: read again, and wait on if it runs again already (a replay got there first).
    }
  }

  @Override
  public Optional<ProcessView> process(UUID id) {
    return parts.db().read(c -> ProcessRows.find(c, id));
  }

  @Override
  public ProcessPage search(ProcessQuery query) {
    return search(query, null);
  }

  @Override
  public Optional<String> startedBy(UUID processId) {
    return parts.db().read(c -> ProcessRows.startedBy(c, processId));
  }

  @Override
  public ProcessPage search(ProcessQuery query, String principal) {
    List<ProcessView> rows = parts.db().read(c -> ProcessRows.search(c, query, principal));
    if (rows.size() > query.limit()) {
      List<ProcessView> page = rows.subList(0, query.limit());
      return new ProcessPage(List.copyOf(page), page.getLast().id());
    }
    return new ProcessPage(rows, null);
  }

  @Override
  public List<JournalEvent> events(UUID processId) {
    return parts.db().read(c -> {
      Parts.requireProcess(c, processId);
      return JournalRows.ofProcess(c, processId);
    });
  }

  @Override
  public List<TaskView> tasks(UUID processId) {
    return parts.db().read(c -> {
      Parts.requireProcess(c, processId);
      return TaskRows.ofProcess(c, processId);
    });
  }

  @Override
  public Optional<TaskView> task(UUID taskId) {
    return parts.db().read(c -> TaskRows.find(c, taskId));
  }
}
