package dev.ridley.worker;

import java.util.Objects;

/**
 * What a handler reports, as a value. A handler may also just return its output (reported as {@code
 * ok}) or throw (reported as a retryable failure); return an {@code Outcome} to name another
 * outcome for the pipeline's routes, or to fail without retries.
 *
 * <pre>{@code
 * if (!valid(order)) return Outcome.of("invalid", problems);   // route: check.invalid -> review
 * return Outcome.ok(priced);
 * }</pre>
 */
public sealed interface Outcome permits Outcome.Completed, Outcome.Failed {

  /** The outcome's name, as routes refer to it: {@code ok}, {@code failed}, {@code invalid}… */
  String name();

  static Outcome ok(Object output) {
    return new Completed("ok", output);
  }

  static Outcome ok() {
    return ok(null);
  }

  /** A named outcome with an output; {@code failed} and {@code timeout} are not names to use. */
  static Outcome of(String name, Object output) {
    return new Completed(name, output);
  }

  /**
   * @param retryable false tells the engine that another attempt cannot succeed, so it routes
   *     {@code failed} at once instead of spending the stage's retries
   */
  static Outcome failed(ErrorInfo error, boolean retryable) {
    return new Failed(error, retryable);
  }

  /**
   * @param output serialized with the worker's {@code ObjectMapper}; null is JSON null
   */
  record Completed(String name, Object output) implements Outcome {
    public Completed {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("an outcome needs a name, e.g. \"ok\" or \"invalid\"");
      }
      if (name.equals("failed")) {
        throw new IllegalArgumentException(
            "report \"failed\" with Outcome.failed(error, retryable), so it carries its error");
      }
      if (name.equals("timeout")) {
        throw new IllegalArgumentException(
            "\"timeout\" is set by the engine when a timer fires; a handler cannot report it");
      }
    }
  }

  record Failed(ErrorInfo error, boolean retryable) implements Outcome {
    public Failed {
      Objects.requireNonNull(error, "error");
      ErrorInfo.requireType(error.type());
    }

    @Override
    public String name() {
      return "failed";
    }
  }
}
