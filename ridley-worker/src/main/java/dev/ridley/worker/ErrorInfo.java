package dev.ridley.worker;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * An error reported by a worker or raised by the engine.
 *
 * @param type the error's type, e.g. an exception class name
 * @param message what went wrong, for a person; may be null
 * @param stack stack trace text; may be null
 */
public record ErrorInfo(String type, String message, String stack) {

  /**
   * Stack traces of deep recursion run to megabytes; the top of the trace is what a reader needs,
   * and a huge report could be refused by the server, losing the error altogether.
   */
  static final int MAX_STACK_CHARS = 32_000;

  public static ErrorInfo of(String type, String message) {
    requireType(type);
    return new ErrorInfo(type, message, null);
  }

  /** The error as the worker reports a thrown exception: class name, message, stack trace. */
  public static ErrorInfo of(Throwable error) {
    StringWriter stack = new StringWriter();
    error.printStackTrace(new PrintWriter(stack));
    String text = stack.toString();
    if (text.length() > MAX_STACK_CHARS) {
      text = text.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
    }
    return new ErrorInfo(error.getClass().getName(), error.getMessage(), text);
  }

  static void requireType(String type) {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("an error needs a type, e.g. an exception class name");
    }
  }
}
