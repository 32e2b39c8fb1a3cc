package dev.ridley.engine;

/**
 * The database could not be reached or refused a statement. Nothing the request asked for is
 * known to have happened; retrying later is the way out.
 */
public class DatabaseUnavailableException extends RidleyException {

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
