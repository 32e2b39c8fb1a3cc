package dev.ridley.engine.internal.timer;

import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.pipeline.Durations;
import dev.ridley.engine.pipeline.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When each task timer is due. The sweeper's queries find candidates; these rules decide again on
 * the locked row, so a heartbeat that arrived in between wins and no timer fires twice.
 */
public final class TimerRules {

  /** The task timers, in the order the sweeper checks them. */
  public static final List<TimerKind> TASK_TIMERS =
      List.of(TimerKind.ENQUEUE_TO_END, TimerKind.HEARTBEAT, TimerKind.POLL_TO_END, TimerKind.ENQUEUE_TO_POLL);

  private TimerRules() {}

  /** The stage's duration for this timer, or null when it is off. */
  public static Duration limit(Timeouts t, TimerKind timer) {
    return switch (timer) {
      case HEARTBEAT -> t.heartbeat();
      case POLL_TO_END -> t.pollToEnd();
      case ENQUEUE_TO_POLL -> t.enqueueToPoll();
      case ENQUEUE_TO_END -> t.enqueueToEnd();
      case PROCESS -> null;
    };
  }

  /** Whether {@code timer} has expired for this attempt at {@code now}. */
  public static boolean due(Timeouts t, TaskView task, TimerKind timer, Instant now) {
    Duration limit = limit(t, timer);
    if (limit == null) {
      return false;
    }
    boolean running = task.status() == TaskStatus.RUNNING;
    boolean queued = task.status() == TaskStatus.QUEUED;
    Instant since =
        switch (timer) {
          case HEARTBEAT -> running ? task.heartbeatAt() : null;
          case POLL_TO_END -> running ? task.polledAt() : null;
          case ENQUEUE_TO_POLL -> queued ? task.visibleAt() : null;
          case ENQUEUE_TO_END -> running || queued ? task.stageStartedAt() : null;
          case PROCESS -> null;
        };
    return since != null && since.plus(limit).isBefore(now);
  }

  /** What a person reads in the error and the journal when the timer fires. */
  public static String message(Timeouts t, TaskView task, TimerKind timer) {
    String d = Durations.format(limit(t, timer));
    String where = "attempt " + task.attempt() + " of stage '" + task.stage() + "'";
    return switch (timer) {
      case HEARTBEAT ->
          "no heartbeat from worker " + task.worker() + " for " + d + " on " + where;
      case POLL_TO_END ->
          "worker " + task.worker() + " did not report " + where + " within " + d + " (pollToEnd)";
      case ENQUEUE_TO_POLL ->
          "no worker claimed " + where + " within " + d + " (enqueueToPoll); is anyone polling it?";
      case ENQUEUE_TO_END ->
          "stage '" + task.stage() + "' did not finish within " + d + " over all its attempts (enqueueToEnd)";
      case PROCESS -> "process timeout";
    };
  }
}
