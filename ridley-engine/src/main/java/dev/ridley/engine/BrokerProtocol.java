package dev.ridley.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a message broker transport needs from the engine (stages with {@code transport: amqp}),
 * with no broker types: the outbox to publish, and the events workers send back. The database
 * stays the truth: a task is written with its outbox entry in the transition that creates it, and
 * the broker only carries a copy.
 *
 * <p>A relay {@link #lease leases} publishable entries, publishes them, and marks them {@link
 * #published} once the broker confirmed them; a relay that dies in between leaves a lease that runs
 * out, and the entry is published again (a duplicate: its result is refused as no longer current,
 * or answered as the same result sent again).
 */
public interface BrokerProtocol {

  /** How long a relay holds leased entries before another may publish them. */
  Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /**
   * Leases up to {@code max} outbox entries of amqp stages whose tasks are queued and visible,
   * honouring pauses (a paused stage's tasks stay unpublished) and {@code maxInFlight} (at most that
   * many published-and-unfinished tasks per stage). Entries leased by other relays are skipped.
   * Waits up to {@code wait} for one when there is none; returns an empty list when the engine is
   * draining.
   *
   * @return the tasks to publish, as a poll would hand them out
   */
  List<ClaimedTask> lease(int max, Duration lease, Duration wait) throws InterruptedException;

  /** The broker confirmed these tasks' messages: their entries are sent. */
  void published(Collection<UUID> taskIds);

  /** These tasks could not be published: any relay may take them again at once. */
  void unleased(Collection<UUID> taskIds);

  /**
   * Workers said they started these tasks: each one still queued becomes RUNNING for {@code
   * worker} (its enqueueToPoll timer stops, pollToEnd starts), journaled as a claim. Others (already
   * running, ended, unknown) are left alone.
   *
   * @return the tasks that became RUNNING
   */
  List<UUID> started(String worker, Collection<UUID> taskIds);

  /** As {@link #started(String, Collection)}, each task for its own worker, in one statement. */
  List<UUID> started(Map<UUID, String> workers);

  /**
   * Applies results that came through the broker: as {@link WorkerProtocol#completeAll} (one
   * transaction, group commit), and then journals each one that changed nothing because its attempt
   * was no longer current, or because it was the same result sent again ({@link
   * JournalEvent#TASK_RESULT_REFUSED}).
   */
  List<ReportResult> report(List<TaskReport> reports);

  /**
   * As {@link #report(List)}, for results whose {@code started} message arrived with them: a task
   * still queued is claimed for the worker named in {@code startedBy} in the report's transaction
   * (journaled as that worker's claim), saving the claim a transaction of its own.
   */
  List<ReportResult> report(List<TaskReport> reports, Map<UUID, String> startedBy);

  /**
   * Journals a message about the task that was refused before it could be applied (it could not
   * be read: an unknown key, an error without {@code failed}, ...), as {@link
   * JournalEvent#TASK_RESULT_REFUSED} with {@code reason} {@code invalid} and the {@code detail}.
   * Changes nothing else; an unknown task is ignored.
   */
  void refused(UUID taskId, String detail);

  /** Outbox entries waiting to be published (their tasks queued). */
  long backlog();
}
