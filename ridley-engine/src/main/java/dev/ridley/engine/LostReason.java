package dev.ridley.engine;

/** Which timer found a process that stopped moving. */
public enum LostReason {
  TASK_HEARTBEAT_TIMEOUT,
  TASK_POLL_TO_END_TIMEOUT,
  TASK_ENQUEUE_TO_END_TIMEOUT,
  TASK_ENQUEUE_TO_POLL_TIMEOUT,
  PROCESS_START_TO_END_TIMEOUT
}
