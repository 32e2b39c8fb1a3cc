package dev.ridley.engine.pipeline;

import java.time.Duration;

/**
 * The timers of one stage. Each fires when its silence lasts longer than the duration; {@code
 * null} means the timer is off.
 *
 * <ul>
 *   <li>{@code enqueueToPoll}: from a task becoming visible until a worker claims it.
 *   <li>{@code pollToEnd}: from a claim until the attempt reports (one attempt).
 *   <li>{@code enqueueToEnd}: from the stage's first attempt being enqueued until the stage ends
 *       (all attempts together, retries and backoffs included).
 *   <li>{@code heartbeat}: the longest gap between heartbeats of a running attempt.
 * </ul>
 */
public record Timeouts(
    Duration enqueueToPoll, Duration pollToEnd, Duration enqueueToEnd, Duration heartbeat) {

  public static final Duration DEFAULT_POLL_TO_END = Duration.ofMinutes(5);

  /** pollToEnd 5m; the other timers are off unless a file sets them. */
  public static final Timeouts DEFAULTS = new Timeouts(null, DEFAULT_POLL_TO_END, null, null);

  /** Nothing set; used while merging stage values over pipeline defaults. */
  public static final Timeouts UNSET = new Timeouts(null, null, null, null);

  /** This stage's values, each falling back to {@code defaults} where unset here. */
  public Timeouts orElse(Timeouts defaults) {
    return new Timeouts(
        enqueueToPoll != null ? enqueueToPoll : defaults.enqueueToPoll,
        pollToEnd != null ? pollToEnd : defaults.pollToEnd,
        enqueueToEnd != null ? enqueueToEnd : defaults.enqueueToEnd,
        heartbeat != null ? heartbeat : defaults.heartbeat);
  }
}
