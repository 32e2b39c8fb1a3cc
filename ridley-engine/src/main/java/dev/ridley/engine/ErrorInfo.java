package dev.ridley.engine;

/**
 * An error reported by a worker or raised by the engine.
 *
 * @param type the error's type, e.g. an exception class name
 * @param message what went wrong, for a person
 * @param stack optional stack trace text
 */
public record ErrorInfo(String type, String message, String stack) {

  public ErrorInfo {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("an error needs a type");
    }
  }

  public static ErrorInfo of(String type, String message) {
    return new ErrorInfo(type, message, null);
  }
}
