package dev.ridley.engine.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.LostReason;

/**
 * What ended one attempt: a worker's outcome (with output), a worker's failure (with error), or
 * a timer the engine fired.
 */
public record Report(
    String outcome, JsonNode output, ErrorInfo error, boolean retryable, LostReason timeout) {

  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String TIMEOUT = "timeout";

  public static Report outcome(String outcome, JsonNode output) {
    return new Report(outcome == null ? OK : outcome, output, null, false, null);
  }

  public static Report failed(ErrorInfo error, boolean retryable) {
    return new Report(FAILED, null, error, retryable, null);
  }

  public static Report timeout(LostReason reason, String message) {
    return new Report(TIMEOUT, null, ErrorInfo.of("Timeout", message), true, reason);
  }

  public boolean isFailure() {
    return FAILED.equals(outcome) || TIMEOUT.equals(outcome);
  }
}
