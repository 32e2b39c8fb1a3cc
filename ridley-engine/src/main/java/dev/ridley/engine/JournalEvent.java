package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a process's append-only journal.
 *
 * @param seq global order of the entry
 * @param type what happened, e.g. {@code process.started}, {@code task.claimed}
 * @param data details of the event; an empty object when there are none
 */
public record JournalEvent(
    long seq,
    UUID processId,
    Instant at,
    String type,
    UUID taskId,
    String stage,
    Integer attempt,
    JsonNode data) {}
