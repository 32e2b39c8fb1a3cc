package dev.ridley.bench;

/**
 * The pipeline workload's timer storm ({@code --timer-storm}): which attempts its workers let go
 * silent, so their heartbeat timers fire during the drain, and how many that makes.
 */
final class TimerStorm {

  /**
   * With the timer storm, every {@code EVERY}th message of the first fifth has its first
   * attempt at one stage (by turns) go silent: 1 message in 200 in all. Taken from the first fifth,
   * whose tasks are claimed early in each stage's wave, so that their retries, a heartbeat timeout
   * later, run inside the drain rather than after it.
   */
  static final int EVERY = 40;
  static final int SHARE_OF = 5;
  /** The in-process engine's sweep interval in the storm: the server's default. */
  static final java.time.Duration SWEEP = java.time.Duration.ofMillis(500);

  private TimerStorm() {}

  /** Whether the storm's worker goes silent on this attempt (see {@link #EVERY}). */
  static boolean goesSilent(int messages, int message, int stage, int attempt) {
    return attempt == 1 && message < messages / SHARE_OF && message % EVERY == 0
        && stage == 1 + (message / EVERY) % PipelineBench.STAGES;
  }

  /** How many attempts go silent in a storm of {@code messages}: each one's heartbeat timer fires once. */
  static long silentAttempts(int messages) {
    return (messages / SHARE_OF + EVERY - 1) / EVERY;
  }
}
