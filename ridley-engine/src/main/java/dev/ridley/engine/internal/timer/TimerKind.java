package dev.ridley.engine.internal.timer;

import dev.ridley.engine.LostReason;

/** The timers the engine runs on attempts and processes, and the reason each gives a lost process. */
public enum TimerKind {
  /** No heartbeat from the worker holding the attempt for the stage's {@code heartbeat}. */
  HEARTBEAT(LostReason.TASK_HEARTBEAT_TIMEOUT),
  /** The attempt was claimed and not reported within {@code pollToEnd}. */
  POLL_TO_END(LostReason.TASK_POLL_TO_END_TIMEOUT),
  /** The stage, over all its attempts, did not end within {@code enqueueToEnd}. */
  ENQUEUE_TO_END(LostReason.TASK_ENQUEUE_TO_END_TIMEOUT),
  /** No worker claimed the attempt within {@code enqueueToPoll}. */
  ENQUEUE_TO_POLL(LostReason.TASK_ENQUEUE_TO_POLL_TIMEOUT),
  /** The process did not end within its pipeline's timeout. */
  PROCESS(LostReason.PROCESS_START_TO_END_TIMEOUT);

  private final LostReason lostReason;

  TimerKind(LostReason lostReason) {
    this.lostReason = lostReason;
  }

  /** What a process that this timer ends is LOST for, as the API shows it. */
  public LostReason lostReason() {
    return lostReason;
  }
}
