package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What a worker does: claim tasks, say it is still alive, report how each attempt ended. A result
 * for an attempt that is no longer current is refused with a {@link ConflictException} and changes
 * nothing, so a worker whose attempt timed out can never overwrite its successor's result.
 */
public interface WorkerProtocol {

  /** The most tasks one poll may claim. */
  int MAX_POLL_BATCH = 1000;
  /** The longest a poll may wait. */
  Duration MAX_POLL_WAIT = Duration.ofSeconds(60);
  /** The most results one {@link #completeAll} takes. */
  int MAX_REPORT_BATCH = 1000;

  /**
   * Claims up to {@code max} tasks of the named stages for {@code worker}, waiting up to {@code
   * wait} for one to arrive. Returns an empty list when none came in time.
   *
   * @throws InvalidRequestException for an unknown stage, a blank worker id, or limits out of range
   */
  default List<ClaimedTask> poll(String worker, List<String> stages, int max, Duration wait)
      throws InterruptedException {
    return poll(worker, stages, max, wait, () -> true);
  }

  /**
   * As {@link #poll(String, List, int, Duration)}, for a caller that may go away while it waits
   * (the HTTP client of a long poll): {@code wanted} is asked before each claim, and once it says
   * false the poll ends with an empty list at once and claims nothing, so no attempt is used up
   * for a poll nobody waits for.
   */
  List<ClaimedTask> poll(String worker, List<String> stages, int max, Duration wait, BooleanSupplier wanted)
      throws InterruptedException;

  /**
   * Puts tasks a poll claimed for {@code worker} back in the queue because the poll's answer never
   * reached the worker: each goes back to QUEUED as it was before the claim, with the same attempt
   * number (a release uses up no attempt), and the journal records {@link JournalEvent#TASK_RELEASED}
   * with the worker and {@code reason}. Tasks that ended or are no longer this worker's are left
   * alone.
   *
   * @return how many tasks were released
   */
  int release(String worker, List<UUID> taskIds, String reason);

  /** @throws ConflictException when the attempt is no longer current: the worker should abandon it */
  void heartbeat(UUID taskId);

  /** Reports an attempt's outcome ({@code ok} or a named one) with its output, and routes on. */
  default TaskResult complete(UUID taskId, String outcome, JsonNode output) {
    return complete(taskId, outcome, output, null);
  }

  /**
   * As {@link #complete(UUID, String, JsonNode)}, with the Eliot messages the worker logged inside
   * its handler (a JSON array), kept with the attempt for the process's tree.
   */
  TaskResult complete(UUID taskId, String outcome, JsonNode output, JsonNode actions);

  /** Reports a failed attempt; it is retried by the stage's policy, then routed as {@code failed}. */
  default TaskResult fail(UUID taskId, ErrorInfo error, boolean retryable) {
    return fail(taskId, error, retryable, null);
  }

  /** As {@link #fail(UUID, ErrorInfo, boolean)}, with the worker's logged actions. */
  TaskResult fail(UUID taskId, ErrorInfo error, boolean retryable, JsonNode actions);

  /**
   * Applies many reports in one transaction (group commit). Each is checked and routed as if
   * reported alone; a stale attempt or unknown task is refused alone and changes nothing, the
   * others go on. Answers come in the order given.
   *
   * @throws InvalidRequestException for more than {@link #MAX_REPORT_BATCH} reports
   */
  List<ReportResult> completeAll(List<TaskReport> reports);
}
