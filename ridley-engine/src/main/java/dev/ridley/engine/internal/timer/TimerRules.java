package dev.ridley.engine.internal.timer;

import dev.ridley.engine.LostReason;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.pipeline.Timeouts;
import java.time.Duration;
import java.time.Instant;

/**
 * When each task timer is due. The sweeper's queries find candidates; these rules decide again on
 * the locked row, so a heartbeat that arrived in between wins and no timer fires twice.
 */
public final class TimerRules {

  /** The task timers, in the order the sweeper checks them. */
  public static final LostReason[] TASK_TIMERS = {
    LostReason.TASK_ENQUEUE_TO_END_TIMEOUT,
    LostReason.TASK_HEARTBEAT_TIMEOUT,
    LostReason.TASK_POLL_TO_END_TIMEOUT,
    LostReason.TASK_ENQUEUE_TO_POLL_TIMEOUT,
  };

  private TimerRules() {}

  /** The stage's duration for this timer, or null when it is off. */
  public static Duration limit(Timeouts t, LostReason timer) {
    return switch (timer) {
      case TASK_HEARTBEAT_TIMEOUT -> t.heartbeat();
      case TASK_POLL_TO_END_TIMEOUT -> t.pollToEnd();
      case TASK_ENQUEUE_TO_POLL_TIMEOUT -> t.enqueueToPoll();
      case TASK_ENQUEUE_TO_END_TIMEOUT -> t.enqueueToEnd();
      case PROCESS_START_TO_END_TIMEOUT -> null;
    };
  }

  /** Whether {@code timer} has expired for this attempt at {@code now}. */
  public static boolean due(Timeouts t, TaskView task, LostReason timer, Instant now) {
    Duration limit = limit(t, timer);
    if (limit == null) {
      return false;
    }
    boolean running = task.status() == TaskStatus.RUNNING;
    boolean queued = task.status() == TaskStatus.QUEUED;
    Instant since =
        switch (timer) {
          case TASK_HEARTBEAT_TIMEOUT -> running ? task.heartbeatAt() : null;
          case TASK_POLL_TO_END_TIMEOUT -> running ? task.polledAt() : null;
          case TASK_ENQUEUE_TO_POLL_TIMEOUT -> queued ? task.visibleAt() : null;
          case TASK_ENQUEUE_TO_END_TIMEOUT -> running || queued ? task.stageStartedAt() : null;
          case PROCESS_START_TO_END_TIMEOUT -> null;
        };
    return since != null && since.plus(limit).isBefore(now);
  }

  /** What a person reads in the error and the journal when the timer fires. */
  public static String message(Timeouts t, TaskView task, LostReason timer) {
    String d = Durations.format(limit(t, timer));
    String where = "attempt " + task.attempt() + " of stage '" + task.stage() + "'";
    return switch (timer) {
      case TASK_HEARTBEAT_TIMEOUT ->
          "no heartbeat from worker " + task.worker() + " for " + d + " on " + where;
      case TASK_POLL_TO_END_TIMEOUT ->
          "worker " + task.worker() + " did not report " + where + " within " + d + " (pollToEnd)";
      case TASK_ENQUEUE_TO_POLL_TIMEOUT ->
          "no worker claimed " + where + " within " + d + " (enqueueToPoll); is anyone polling it?";
      case TASK_ENQUEUE_TO_END_TIMEOUT ->
          "stage '" + task.stage() + "' did not finish within " + d + " over all its attempts (enqueueToEnd)";
      case PROCESS_START_TO_END_TIMEOUT -> "process timeout";
    };
  }
}
