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
    JsonNode park) {}
