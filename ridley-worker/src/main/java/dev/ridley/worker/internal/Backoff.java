package dev.ridley.worker.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Doubling delays with jitter. Not thread-safe: one per loop. */
final class Backoff {

  private final Duration min;
  private final Duration max;
  private Duration next;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  /**
   * Between half and all of the current step, so many workers cut off by the same outage do not all
   * come back in the same millisecond.
   */
  Duration next() {
    long nanos = next.toNanos();
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
  }

  void reset() {
    next = min;
  }
}
