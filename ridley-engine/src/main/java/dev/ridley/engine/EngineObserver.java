package dev.ridley.engine;

import java.time.Duration;

/**
 * Hears what the engine did, after it committed: for metrics and the like. Called on the thread
 * that made the change, so implementations must be quick and must not block or throw (what they
 * throw is logged and dropped). Counts are of this node's changes; timer firings are counted by
 * the node that fired them.
 */
public interface EngineObserver {

  /** Observes nothing. */
  EngineObserver NONE = new EngineObserver() {};

  /** A process was created (not an ALREADY_EXISTS or CONFLICT answer). */
  default void processStarted(String pipeline) {}

  /**
   * A process reached SUCCEEDED, FAILED, LOST, CANCELLED or PARKED.
   *
   * @param lostReason why, for LOST; null otherwise
   */
  default void processEnded(String pipeline, ProcessStatus status, LostReason lostReason) {}

  /** A worker claimed an attempt {@code pickup} after it was enqueued. */
  default void taskClaimed(String pipeline, String stage, Duration pickup) {}

  /**
   * An attempt ended {@code run} after its claim (zero when it timed out unclaimed).
   *
   * @param outcome {@code ok}, {@code failed}, {@code timeout} or a named outcome
   */
  default void taskEnded(String pipeline, String stage, String outcome, Duration run) {}

  /**
   * A timer fired.
   *
   * @param timer {@code heartbeat}, {@code pollToEnd}, {@code enqueueToEnd}, {@code enqueueToPoll} or
   *     {@code process}
   */
  default void timerFired(String pipeline, String stage, String timer) {}
}
