package dev.ridley.engine;

import java.time.Duration;

/**
 * Per-stage counts for one pipeline: tasks queued and running at the stage, and processes that
 * ended (or are parked) with their last sighting at the stage.
 *
 * @param oldestQueued age of the oldest visible queued task, or null when none is queued
 */
public record StageCounts(
    String stage,
    long queued,
    long running,
    long succeeded,
    long failed,
    long parked,
    long lost,
    long cancelled,
    Duration oldestQueued) {}
