package dev.ridley.worker;

/** Where a process is in its life. Every status but RUNNING is terminal until a replay. */
public enum ProcessStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Dead-lettered: kept, visible, replayable, optionally replayed automatically. */
  PARKED,
  /** The engine saw it stop moving: a timer fired with retries spent and no route. */
  LOST,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
