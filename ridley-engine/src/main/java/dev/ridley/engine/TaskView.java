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
    JsonNode trace) {}
