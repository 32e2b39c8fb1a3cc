package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.TaskReport;

/**
 * The JSON shapes other transports share with the HTTP API, so a task and a result read the same
 * whichever way they travel: a task as one item of a poll's answer, a result as one item of a batch
 * report, checked by the same rules.
 */
public final class WireFormat {

  private WireFormat() {}

  /** A task exactly as {@code POST /api/v1/tasks/poll} answers one. */
  public static ObjectNode task(ClaimedTask t) {
    return Views.claimed(t);
  }

  /**
   * One result as an item of {@code POST /api/v1/tasks/complete} takes it: unknown keys, an error
   * without {@code failed}, a malformed id and the rest are refused as there.
   *
   * @throws IllegalArgumentException with the same detail the HTTP API would answer with
   */
  public static TaskReport result(JsonNode item) {
    try {
      return BatchTaskRoutes.report(item, 0);
    } catch (HttpProblem refused) {
      throw new IllegalArgumentException(refused.getMessage(), refused);
    }
  }
}
