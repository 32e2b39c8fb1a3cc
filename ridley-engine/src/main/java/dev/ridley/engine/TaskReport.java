package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * One worker's report on one attempt, as a value, for reporting many at once ({@link
 * Engine#completeAll}): an outcome with its output, or a failure with its error.
 *
 * @param outcome {@code ok}, a named outcome, or {@code failed} (then {@code error} is set)
 * @param actions the Eliot messages the worker logged inside its handler (a JSON array), or null
 */
public record TaskReport(
    UUID taskId, String outcome, JsonNode output, ErrorInfo error, boolean retryable, JsonNode actions) {

  public static final String OK = "ok";
  public static final String FAILED = "failed";

  public static TaskReport ok(UUID taskId, JsonNode output) {
    return new TaskReport(taskId, OK, output, null, false, null);
  }

  public static TaskReport outcome(UUID taskId, String outcome, JsonNode output, JsonNode actions) {
    return new TaskReport(taskId, outcome == null ? OK : outcome, output, null, false, actions);
  }

  public static TaskReport failed(UUID taskId, ErrorInfo error, boolean retryable, JsonNode actions) {
    return new TaskReport(taskId, FAILED, null, error, retryable, actions);
  }

  /** Whether this reports a failure (through the {@code failed} outcome). */
  public boolean isFailure() {
    return FAILED.equals(outcome);
  }
}
