package dev.ridley.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator does: replay and cancel processes, pause stages, and look at the machine from
 * above (counts, workers, the queue, throughput, the journal's ends).
 */
public interface Operations {

  /**
   * Resumes a FAILED, LOST or PARKED process as a new attempt at {@code fromStage}; without it, a
   * FAILED process resumes at the stage where the failure that ended it started (for {@code
   * divide.failed -> errors -> @fail}, at {@code divide}), a PARKED one where its park route says,
   * a LOST one at the stage it was lost at. Its {@code error} stays until the replay ends otherwise.
   *
   * @throws ConflictException when the process is in a state a replay makes no sense for
   */
  default ProcessView replay(UUID processId, String fromStage) {
    return replay(processId, fromStage, null);
  }

  /**
   * As {@link #replay(UUID, String)}, recording {@code actor} (the principal that asked; null:
   * nobody known) in the journal's {@code process.replayed} event.
   */
  ProcessView replay(UUID processId, String fromStage, String actor);

  /**
   * Replays every FAILED, LOST or PARKED process the query matches (its status, if given, must be
   * one of those); returns how many were replayed. Each replay is its own transaction.
   */
  default int replayAll(ProcessQuery filter) {
    return replayAll(filter, null);
  }

  /**
   * Replays every FAILED, LOST or PARKED process the query matches, each at {@code fromStage}
   * (null: where {@link #replay} would resume it). With a {@code fromStage}, the query must name
   * the pipeline, and it must have that stage; a process that never reached the stage is skipped.
   *
   * @throws InvalidRequestException for a query status that is not replayable, or a {@code
   *     fromStage} without a pipeline or not in it
   */
  default int replayAll(ProcessQuery filter, String fromStage) {
    return replayAll(filter, fromStage, null);
  }

  /** As {@link #replayAll(ProcessQuery, String)}, recording {@code actor} in each replay's journal event. */
  int replayAll(ProcessQuery filter, String fromStage, String actor);

  /** Cancels a RUNNING or PARKED process; a worker still on its attempt gets 409 and abandons it. */
  default ProcessView cancel(UUID processId, String reason) {
    return cancel(processId, reason, null);
  }

  /** As {@link #cancel(UUID, String)}, recording {@code actor} in the {@code process.cancelled} event. */
  ProcessView cancel(UUID processId, String reason, String actor);

  /**
   * Pauses a stage, or with a null {@code stage} every stage of the pipeline, on every node: their
   * queued tasks stay queued and are not claimed, running ones finish, starts are still accepted.
   */
  default void pause(String pipeline, String stage) {
    pause(pipeline, stage, null);
  }

  /** As {@link #pause(String, String)}, recording {@code actor} as who changed the stage last. */
  void pause(String pipeline, String stage, String actor);

  /** Resumes a stage, or with a null {@code stage} every stage of the pipeline. */
  default void resume(String pipeline, String stage) {
    resume(pipeline, stage, null);
  }

  /** As {@link #resume(String, String)}, recording {@code actor} as who changed the stage last. */
  void resume(String pipeline, String stage, String actor);

  /** Whether each stage of the pipeline is paused, in stage order (as this node saw it last). */
  Map<String, Boolean> paused(String pipeline);

  /** Per stage of the pipeline, in stage order: its tasks by state and its oldest waiting task. */
  Map<String, StageCounts> stageCounts(String pipeline);

  /** The workers that polled each stage of the pipeline recently (the last 30 s). */
  Map<String, List<WorkerSeen>> workersSeen(String pipeline);

  /** The next {@code limit} queued tasks of a stage, in the order workers will claim them. */
  List<TaskView> nextTasks(String pipeline, String stage, int limit);

  /** Attempts that finished in {@code [from, to)}, counted per pipeline, minute (UTC) and ending. */
  List<MinuteCounts> throughput(Instant from, Instant to);

  /** The journal position of its latest event, for {@link #endedAfter}; 0 for an empty journal. */
  long journalHead();

  /**
   * Processes that ended (succeeded, failed, lost, parked or cancelled) after journal position
   * {@code position} and before {@code settled}, oldest first, at most {@code limit}. A
   * transaction may commit a lower position after a higher one was read; reading only ends older
   * than a settling delay keeps a follower from skipping it.
   */
  List<EndedProcess> endedAfter(long position, Instant settled, int limit);

  /**
   * Fires every timer due now, once; the background sweeper calls this periodically. Each sweep
   * also does a bounded share of retention's deletions (see {@link #purgeExpired()}).
   */
  int sweepOnce();

  /**
   * Deletes now every ended process (SUCCEEDED, FAILED, CANCELLED, LOST) that ended longer ago than
   * its pipeline's retention (the pipeline's {@code retention} key, else {@link
   * EngineBuilder#defaultRetention}), with its tasks and journal; returns how many processes were
   * deleted. PARKED and RUNNING processes are never deleted, nor those of pipelines without a
   * retention. Runs in batches of a few hundred processes, each its own transaction; safe to run on
   * several nodes at once (each process is deleted once). The sweeper does the same in the
   * background, a few batches per sweep, so this is for tests and for an operator in a hurry.
   */
  int purgeExpired();

  /** Whether the database takes writes now; {@code health().databaseWritable()}. */
  boolean healthy();

  /**
   * This node's health: whether the database takes a write (a transaction that is not read-only,
   * takes a transaction id and commits, so a read-only, standby or unreachable database fails it;
   * at most a couple of seconds), and the state of each background loop.
   */
  Health health();

  /**
   * Claims up to {@code max} terminal-state notifications that are due (see the pipeline's {@code
   * notify}), oldest first, skipping those another node holds. Each is leased for {@code lease}:
   * unless {@link #notificationDelivered} or {@link #notificationFailed} is called for it in
   * time, it is due again (so a node that dies while delivering leaves it to another).
   */
  List<Notification> claimNotifications(int max, Duration lease);

  /** The receiver took it: it is deleted. False when its lease ran out and it was claimed again. */
  boolean notificationDelivered(Notification n);

  /**
   * The delivery failed with {@code error}: it is due again in {@code retryIn}, or, when {@code
   * retryIn} is null, it is given up (kept as DEAD, counted by {@link #notificationCounts()}).
   */
  boolean notificationFailed(Notification n, String error, Duration retryIn);

  /** How many notifications wait for delivery (retries included), and how many were given up. */
  NotificationCounts notificationCounts();
}
