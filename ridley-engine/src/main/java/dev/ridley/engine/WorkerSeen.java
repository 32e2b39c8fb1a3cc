package dev.ridley.engine;

import java.time.Instant;

/** A worker seen polling a stage, and when it last polled (to within a few seconds). */
public record WorkerSeen(String id, Instant lastPollAt) {}
