package dev.ridley.engine;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * A terminal-state notification claimed for delivery: the process {@code processId} ended in
 * {@code status}, and its pipeline's {@code notify} asks that {@code url} hear of it.
 *
 * @param id stays the same across delivery attempts: receivers deduplicate by it
 * @param attempt this delivery attempt, from 1
 */
public record Notification(
    UUID id, UUID processId, String pipeline, ProcessStatus status, URI url, int attempt, Instant createdAt) {}
