package dev.ridley.engine;

/** What a start did, with the process it concerns (new or existing). */
public record StartResult(Result result, ProcessView process) {

  public enum Result {
    /** A new process was created. */
    CREATED,
    /** The customId was known with the same payload and user: nothing new was created. */
    ALREADY_EXISTS,
    /** The customId was known with another payload or user: nothing was created or changed. */
    CONFLICT
  }
}
