package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.util.Set;

/**
 * How a stage retries a failed or timed-out attempt. {@code attempts} counts every attempt, the
 * first included: {@code attempts: 3} means one try and two retries.
 *
 * @param attempts total attempts, at least 1
 * @param backoff delay before the first retry
 * @param multiplier growth of the delay per retry, at least 1
 * @param maxBackoff cap on the delay
 * @param nonRetryable error types that are never retried
 */
public record RetryPolicy(
    int attempts, Duration backoff, double multiplier, Duration maxBackoff, Set<String> nonRetryable) {

  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

  /** One attempt, no retry. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, DEFAULT_BACKOFF, DEFAULT_MULTIPLIER, DEFAULT_MAX_BACKOFF, Set.of());

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1, was " + attempts);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("retry multiplier must be at least 1, was " + multiplier);
    }
    backoff = backoff == null ? DEFAULT_BACKOFF : backoff;
    maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
    nonRetryable = nonRetryable == null ? Set.of() : Set.copyOf(nonRetryable);
  }

  /** Whether an attempt numbered {@code attempt} (1-based) may be followed by another. */
  public boolean allowsRetryAfter(int attempt) {
    return attempt < attempts;
  }

  /** The delay before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration backoffBefore(int nextAttempt) {
    double factor = Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    double millis = Math.min(backoff.toMillis() * factor, (double) maxBackoff.toMillis());
    return Duration.ofMillis((long) millis);
  }
}
