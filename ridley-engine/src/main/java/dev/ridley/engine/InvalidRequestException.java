package dev.ridley.engine;

/** A request the engine cannot act on as given: a bad filter, a bad outcome name, a bad stage. */
public class InvalidRequestException extends RidleyException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
