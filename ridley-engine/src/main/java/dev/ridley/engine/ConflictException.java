package dev.ridley.engine;

import java.util.UUID;

/**
 * The request does not fit the current state: a result for an attempt that is no longer current,
 * or a replay or cancel of a process in a state where it makes no sense. Nothing was changed.
 */
public class ConflictException extends RidleyException {

  private final UUID processId;
  private final UUID taskId;

  public ConflictException(String message, UUID processId, UUID taskId) {
    super(message);
    this.processId = processId;
    this.taskId = taskId;
  }

  public UUID processId() {
    return processId;
  }

  public UUID taskId() {
    return taskId;
  }
}
