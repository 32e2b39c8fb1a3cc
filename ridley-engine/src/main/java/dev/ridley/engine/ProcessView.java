package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A snapshot of one process, as the API shows it.
 *
 * @param currentTask the running or queued attempt; for an ended process, its last attempt
 * @param attempts how many tasks (attempts at any stage) the process has had
 * @param park for a PARKED process: where and with what input a replay resumes, and the park
 *     options; otherwise null
 */
public record ProcessView(
    UUID id,
    String pipeline,
    String customId,
    String user,
    ProcessStatus status,
    JsonNode payload,
    LastSeen lastSeen,
    Instant createdAt,
    Instant deadlineAt,
    Instant finishedAt,
    JsonNode output,
    ErrorInfo error,
    LostReason lostReason,
    UUID currentTask,
    int attempts,
    int replays,
    Park park) {

  /** A builder with every component unset (null, or 0 for counts). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this ProcessView's components, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.pipeline = pipeline;
    b.customId = customId;
    b.user = user;
    b.status = status;
    b.payload = payload;
    b.lastSeen = lastSeen;
    b.createdAt = createdAt;
    b.deadlineAt = deadlineAt;
    b.finishedAt = finishedAt;
    b.output = output;
    b.error = error;
    b.lostReason = lostReason;
    b.currentTask = currentTask;
    b.attempts = attempts;
    b.replays = replays;
    b.park = park;
    return b;
  }

  /** Builds a {@link ProcessView} by component name. */
  public static final class Builder {
    private UUID id;
    private String pipeline;
    private String customId;
    private String user;
    private ProcessStatus status;
    private JsonNode payload;
    private LastSeen lastSeen;
    private Instant createdAt;
    private Instant deadlineAt;
    private Instant finishedAt;
    private JsonNode output;
    private ErrorInfo error;
    private LostReason lostReason;
    private UUID currentTask;
    private int attempts;
    private int replays;
    private Park park;

    private Builder() {}

    public Builder id(UUID id) { this.id = id; return this; }
    public Builder pipeline(String pipeline) { this.pipeline = pipeline; return this; }
    public Builder customId(String customId) { this.customId = customId; return this; }
    public Builder user(String user) { this.user = user; return this; }
    public Builder status(ProcessStatus status) { this.status = status; return this; }
    public Builder payload(JsonNode payload) { this.payload = payload; return this; }
    public Builder lastSeen(LastSeen lastSeen) { this.lastSeen = lastSeen; return this; }
    public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
    public Builder deadlineAt(Instant deadlineAt) { this.deadlineAt = deadlineAt; return this; }
    public Builder finishedAt(Instant finishedAt) { this.finishedAt = finishedAt; return this; }
    public Builder output(JsonNode output) { this.output = output; return this; }
    public Builder error(ErrorInfo error) { this.error = error; return this; }
    public Builder lostReason(LostReason lostReason) { this.lostReason = lostReason; return this; }
    public Builder currentTask(UUID currentTask) { this.currentTask = currentTask; return this; }
    public Builder attempts(int attempts) { this.attempts = attempts; return this; }
    public Builder replays(int replays) { this.replays = replays; return this; }
    public Builder park(Park park) { this.park = park; return this; }

    public ProcessView build() {
      return new ProcessView(
          id, pipeline, customId, user, status, payload, lastSeen, createdAt, deadlineAt,
          finishedAt, output, error, lostReason, currentTask, attempts, replays, park);
    }
  }
}
