package dev.ridley.engine;

/**
 * The connection to the database failed while a transaction committed, and it could not be found
 * out afterwards whether the commit took effect. The message says whether sending the same request
 * again is safe (a report, or a start with a customId) or may do the work twice (a start without
 * one).
 */
public class CommitOutcomeUnknownException extends DatabaseUnavailableException {

  public CommitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
