package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.internal.timer.TimerKind;

/**
 * What ended one attempt: a worker's outcome (with output), a worker's failure (with error), or
 * a timer the engine fired. {@code actions} are the Eliot messages the worker logged inside its
 * handler, kept with the attempt for the process's tree.
 */
public record Report(
    String outcome,
    JsonNode output,
    ErrorInfo error,
    boolean retryable,
    LostReason timeout,
    JsonNode actions) {

  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String TIMEOUT = "timeout";

  public static Report outcome(String outcome, JsonNode output, JsonNode actions) {
    return new Report(outcome == null ? OK : outcome, output, null, false, null, actions);
  }

  public static Report failed(ErrorInfo error, boolean retryable, JsonNode actions) {
    return new Report(FAILED, null, error, retryable, null, actions);
  }

  /**
   * A timer fired on the attempt. Stage-budget timers ({@code enqueueToEnd}) are not retried: the
   * budget covers every attempt.
   */
  public static Report timeout(TimerKind timer, String message) {
    boolean retryable = timer != TimerKind.ENQUEUE_TO_END;
    return new Report(TIMEOUT, null, ErrorInfo.of("Timeout", message), retryable, timer.lostReason(), null);
  }

  public boolean isFailure() {
    return FAILED.equals(outcome) || TIMEOUT.equals(outcome);
  }
}
