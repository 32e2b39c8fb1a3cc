package dev.ridley.engine.internal.timer;

import dev.ridley.engine.LostReason;

/** The timers the engine runs on attempts and processes, and the reason each gives a lost process. */
public enum TimerKind {
  /** No heartbeat from the worker holding the attempt for the stage's {@code heartbeat}. */
  HEARTBEAT(LostReason.TASK_HEARTBEAT_TIMEOUT, "heartbeat"),
  /** The attempt was claimed and not reported within {@code pollToEnd}. */
  POLL_TO_END(LostReason.TASK_POLL_TO_END_TIMEOUT, "pollToEnd"),
  /** The stage, over all its attempts, did not end within {@code enqueueToEnd}. */
  ENQUEUE_TO_END(LostReason.TASK_ENQUEUE_TO_END_TIMEOUT, "enqueueToEnd"),
  /** No worker claimed the attempt within {@code enqueueToPoll}. */
  ENQUEUE_TO_POLL(LostReason.TASK_ENQUEUE_TO_POLL_TIMEOUT, "enqueueToPoll"),
  /** The process did not end within its pipeline's timeout. */
  PROCESS(LostReason.PROCESS_START_TO_END_TIMEOUT, "process");

  private final LostReason lostReason;
  private final String key;

  TimerKind(LostReason lostReason, String key) {
    this.lostReason = lostReason;
    this.key = key;
  }

  /** The timer's name as pipeline files and metrics spell it ({@code pollToEnd}, ...). */
  public String key() {
    return key;
  }

  /** What a process that this timer ends is LOST for, as the API shows it. */
  public LostReason lostReason() {
    return lostReason;
  }
}
