package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A snapshot of one attempt at one stage.
 *
 * @param ordinal the task's place among all tasks of its process, from 1
 * @param visibleAt when the task may be claimed (later than enqueuedAt during a retry backoff)
 * @param trace the actions and messages the worker logged inside its handler (Eliot JSON
 *     messages), as they came back with the result; null when none
 * @param stageStartedAt when the stage's first attempt was enqueued: the enqueueToEnd timer's start
 */
public record TaskView(
    UUID id,
    UUID processId,
    String pipeline,
    String stage,
    int attempt,
    int ordinal,
    TaskStatus status,
    JsonNode input,
    Instant enqueuedAt,
    Instant stageStartedAt,
    Instant visibleAt,
    Instant polledAt,
    Instant heartbeatAt,
    Instant finishedAt,
    String worker,
    String outcome,
    JsonNode output,
    ErrorInfo error,
    JsonNode trace) {

  /** A builder with every component unset (null, or 0 for counts). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this TaskView's components, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.processId = processId;
    b.pipeline = pipeline;
    b.stage = stage;
    b.attempt = attempt;
    b.ordinal = ordinal;
    b.status = status;
    b.input = input;
    b.enqueuedAt = enqueuedAt;
    b.stageStartedAt = stageStartedAt;
    b.visibleAt = visibleAt;
    b.polledAt = polledAt;
    b.heartbeatAt = heartbeatAt;
    b.finishedAt = finishedAt;
    b.worker = worker;
    b.outcome = outcome;
    b.output = output;
    b.error = error;
    b.trace = trace;
    return b;
  }

  /** Builds a {@link TaskView} by component name. */
  public static final class Builder {
    private UUID id;
    private UUID processId;
    private String pipeline;
    private String stage;
    private int attempt;
    private int ordinal;
    private TaskStatus status;
    private JsonNode input;
    private Instant enqueuedAt;
    private Instant stageStartedAt;
    private Instant visibleAt;
    private Instant polledAt;
    private Instant heartbeatAt;
    private Instant finishedAt;
    private String worker;
    private String outcome;
    private JsonNode output;
    private ErrorInfo error;
    private JsonNode trace;

    private Builder() {}

    public Builder id(UUID id) { this.id = id; return this; }
    public Builder processId(UUID processId) { this.processId = processId; return this; }
    public Builder pipeline(String pipeline) { this.pipeline = pipeline; return this; }
    public Builder stage(String stage) { this.stage = stage; return this; }
    public Builder attempt(int attempt) { this.attempt = attempt; return this; }
    public Builder ordinal(int ordinal) { this.ordinal = ordinal; return this; }
    public Builder status(TaskStatus status) { this.status = status; return this; }
    public Builder input(JsonNode input) { this.input = input; return this; }
    public Builder enqueuedAt(Instant enqueuedAt) { this.enqueuedAt = enqueuedAt; return this; }
    public Builder stageStartedAt(Instant stageStartedAt) { this.stageStartedAt = stageStartedAt; return this; }
    public Builder visibleAt(Instant visibleAt) { this.visibleAt = visibleAt; return this; }
    public Builder polledAt(Instant polledAt) { this.polledAt = polledAt; return this; }
    public Builder heartbeatAt(Instant heartbeatAt) { this.heartbeatAt = heartbeatAt; return this; }
    public Builder finishedAt(Instant finishedAt) { this.finishedAt = finishedAt; return this; }
    public Builder worker(String worker) { this.worker = worker; return this; }
    public Builder outcome(String outcome) { this.outcome = outcome; return this; }
    public Builder output(JsonNode output) { this.output = output; return this; }
    public Builder error(ErrorInfo error) { this.error = error; return this; }
    public Builder trace(JsonNode trace) { this.trace = trace; return this; }

    public TaskView build() {
      return new TaskView(
          id, processId, pipeline, stage, attempt, ordinal, status, input, enqueuedAt,
          stageStartedAt, visibleAt, polledAt, heartbeatAt, finishedAt, worker, outcome,
          output, error, trace);
    }
  }
}
