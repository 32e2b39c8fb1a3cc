package dev.ridley.engine;

import java.time.Instant;

/**
 * How a background loop (the sweeper, the wake-up connections, the server's Eliot log) is doing.
 *
 * @param name the loop's name as {@code /health} shows it
 * @param failing whether its last round failed; it keeps retrying either way
 * @param lastSuccess when a round last succeeded; null before the first
 * @param lastFailure when a round last failed; null if none did
 * @param lastError what the last failure was (type and message); null if none
 */
public record LoopHealth(String name, boolean failing, Instant lastSuccess, Instant lastFailure, String lastError) {

  /** {@code UP} or {@code DOWN}, as {@code /health} shows it. */
  public String status() {
    return failing ? "DOWN" : "UP";
  }
}
