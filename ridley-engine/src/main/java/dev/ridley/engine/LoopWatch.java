package dev.ridley.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a background loop observable and alive: each round reports {@link #succeeded()} or
 * {@link #failed(Throwable)}, whatever was thrown (an {@link Error} such as {@link
 * StackOverflowError} or {@link OutOfMemoryError} included), and the loop goes on after a {@link
 * #backoff}. The first failure of a streak is logged at ERROR with the loop's name, the recovery
 * at INFO; the failures in between are only counted, so an outage does not flood the log.
 * Thread-safe; {@link #health()} is what {@code /health} shows.
 */
public final class LoopWatch {

  private static final Logger log = LoggerFactory.getLogger(LoopWatch.class);

  private final String name;
  private final Clock clock;
  private Instant lastSuccess;
  private Instant lastFailure;
  private String lastError;
  private int streak;

  /**
   * @param name the loop's name, in the log and in {@code /health}
   * @param clock where the times of successes and failures come from
   */
  public LoopWatch(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  /** A round succeeded; ends a failure streak (logged once at INFO). */
  public void succeeded() {
    int ended;
    synchronized (this) {
      lastSuccess = clock.instant();
      ended = streak;
      streak = 0;
    }
    if (ended > 0) log.info("background loop '{}' works again after {} failed round(s)", name, ended);
  }

  /** A round failed with {@code t}; the first failure of a streak is logged at ERROR. */
  public void failed(Throwable t) {
    boolean first;
    synchronized (this) {
      lastFailure = clock.instant();
      lastError = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
      first = streak++ == 0;
    }
    if (first) {
      try {
        log.error("background loop '{}' failed; it keeps retrying with a back-off: {}", name, lastError, t);
      } catch (Throwable ignored) {
        // even logging may fail (out of memory); the loop must go on regardless
      }
    }
  }

  /** Failed rounds since the last success. */
  public synchronized int failures() {
    return streak;
  }

  /** {@code base} after a success; doubling with each failure in a row, up to {@code max}. */
  public Duration backoff(Duration base, Duration max) {
    int n = failures();
    if (n == 0) return base;
    Duration d = base.multipliedBy(1L << Math.min(n - 1, 16));
    return d.compareTo(max) > 0 ? max : d;
  }

  public synchronized LoopHealth health() {
    return new LoopHealth(name, streak > 0, lastSuccess, lastFailure, lastError);
  }
}
