package dev.ridley.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A process as the server reports it.
 *
 * @param customId the caller's idempotency key; null if none was given
 * @param user who started it; null if not given
 * @param payload the start payload; never null ({@code NullNode} for JSON null)
 * @param lastSeen the stage it was last seen moving in, and when; null before the first stage
 * @param finishedAt null while it runs
 * @param output the last stage's output; never null ({@code NullNode} when there is none)
 * @param error why it failed; null unless the server reports one
 * @param lostReason which silence made the engine declare it LOST; null otherwise
 * @param attempts task attempts made so far, across all stages
 */
public record ProcessInfo(
    UUID id,
    String pipeline,
    String customId,
    String user,
    ProcessStatus status,
    JsonNode payload,
    LastSeen lastSeen,
    Instant createdAt,
    Instant finishedAt,
    JsonNode output,
    ErrorInfo error,
    String lostReason,
    int attempts) {}
