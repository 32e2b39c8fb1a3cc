package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;

/**
 * A task handed to a worker by a poll: the worker owns this attempt until it reports, or a timer
 * takes it back.
 *
 * @param input the stage input: the process payload for the first stage, else the previous
 *     stage's output
 * @param traceId where the worker continues the process's action tree: a serialized Eliot task
 *     id ({@code <processId>@/<n+1>/3} for the n-th task), for nested actions and calls to other
 *     services
 * @param heartbeat the stage's heartbeat timeout, or null when it is off
 */
public record ClaimedTask(
    UUID id,
    UUID processId,
    String pipeline,
    String stage,
    int attempt,
    JsonNode input,
    String traceId,
    Duration heartbeat) {}
