package dev.ridley.engine;

/**
 * The root of every exception the engine throws. Subclasses carry the ids (pipeline, process,
 * task, stage) they concern as fields and in their message.
 */
public class RidleyException extends RuntimeException {

  public RidleyException(String message) {
    super(message);
  }

  public RidleyException(String message, Throwable cause) {
    super(message, cause);
  }
}
