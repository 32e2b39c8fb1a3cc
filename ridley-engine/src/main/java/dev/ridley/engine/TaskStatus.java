package dev.ridley.engine;

/** The state of one attempt at one stage. */
public enum TaskStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  CANCELLED
}
