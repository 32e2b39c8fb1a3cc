package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.TaskReport;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules every report meets before it reaches the database, for single reports and batches alike. */
public final class ReportChecks {

  private static final Pattern OUTCOME = Pattern.compile("[a-z][a-z0-9_-]*");

  private ReportChecks() {}

  /**
   * The rules every report meets before it reaches the database: a task id; an outcome that is
   * null (meaning {@code ok}), {@code failed}, or a name of lowercase letters, digits, '-' or '_'
   * (never {@code timeout}, which only the engine sets); actions that are absent or a JSON array.
   *
   * @return the report, with its outcome {@code ok} if it had none
   * @throws InvalidRequestException when a rule is broken
   */
  public static TaskReport checked(TaskReport r) {
    if (r.taskId() == null) {
      throw new InvalidRequestException("every result needs the task 'id' it reports on");
    }
    String name = r.outcome() == null ? Report.OK : r.outcome();
    if (!Report.FAILED.equals(name) && (!OUTCOME.matcher(name).matches() || name.equals(Report.TIMEOUT))) {
      throw new InvalidRequestException("outcome '" + name + "' is not allowed (task " + r.taskId()
          + "): use lowercase letters, digits, '-' or '_'; 'timeout' is set by the engine only");
    }
    JsonNode actions = actions(r.actions(), r.taskId());
    return name.equals(r.outcome()) && actions == r.actions() ? r
        : new TaskReport(r.taskId(), name, r.output(), r.error(), r.retryable(), actions);
  }

  /**
   * A worker's outcome on its own (not through a batch). {@code failed} is refused here, since a
   * failure is reported with its error; the other rules are {@link #checked}'s, applied where every
   * report goes, in the batch.
   */
  public static TaskReport completion(UUID taskId, String outcome, JsonNode output, JsonNode actions) {
    if (Report.FAILED.equals(outcome)) {
      throw new InvalidRequestException(
          "outcome 'failed' is not allowed here: report a failure through /fail, with its error");
    }
    return TaskReport.outcome(taskId, outcome, output, actions);
  }

  /** Absent actions as null; anything else must be a list. */
  private static JsonNode actions(JsonNode actions, UUID taskId) {
    if (actions == null || actions.isNull() || actions.isMissingNode()) {
      return null;
    }
    if (!actions.isArray()) {
      throw new InvalidRequestException("'actions' must be a list of Eliot messages (JSON objects) (task " + taskId + ")");
    }
    return actions;
  }
}
