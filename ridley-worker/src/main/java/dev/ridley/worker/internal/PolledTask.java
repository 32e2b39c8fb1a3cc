package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;

/**
 * A task as the poll handed it out.
 *
 * @param heartbeatTimeout the stage's heartbeat timeout; null when the stage has none
 */
record PolledTask(
    UUID id,
    UUID processId,
    String pipeline,
    String stage,
    int attempt,
    JsonNode input,
    String traceId,
    Duration heartbeatTimeout) {

  /**
   * @throws IllegalArgumentException when the document is not a task this SDK understands
   */
  static PolledTask from(JsonNode n) {
    JsonNode heartbeatMs = n.get("heartbeatMs");
    Duration heartbeat =
        heartbeatMs == null || heartbeatMs.isNull() || heartbeatMs.asLong() <= 0
            ? null
            : Duration.ofMillis(heartbeatMs.asLong());
    String stage = Json.text(n, "stage");
    if (stage == null) {
      throw new IllegalArgumentException("field \"stage\" is missing");
    }
    return new PolledTask(
        Json.uuid(n, "id"),
        Json.uuid(n, "processId"),
        Json.text(n, "pipeline"),
        stage,
        n.path("attempt").asInt(1),
        Json.value(n, "payload"),
        Json.text(n, "traceId"),
        heartbeat);
  }

  /** For logs: every line about a task names the task, stage, attempt and process. */
  String describe() {
    return "task "
        + id
        + " ("
        + pipeline
        + "/"
        + stage
        + " attempt "
        + attempt
        + ", process "
        + processId
        + ")";
  }
}
