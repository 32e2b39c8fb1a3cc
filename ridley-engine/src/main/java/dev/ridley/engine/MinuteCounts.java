package dev.ridley.engine;

import java.time.Instant;

/** Attempts of one pipeline that finished within one minute (UTC), by how they ended. */
public record MinuteCounts(String pipeline, Instant minute, long succeeded, long failed, long timedOut) {}
