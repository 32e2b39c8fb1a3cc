package dev.ridley.engine.pipeline;

/**
 * A named step of a pipeline. Workers subscribe to stages by name.
 *
 * @param name the stage name, unique within its pipeline
 * @param timeouts the stage's timers, pipeline defaults already applied
 * @param retry the stage's retry policy, pipeline defaults already applied
 * @param maxInFlight at most this many claimed-but-unfinished tasks across all workers; 0 means
 *     unlimited. For an {@link Transport#AMQP} stage: at most this many published-and-unfinished
 *     tasks (in the broker or at a worker).
 * @param transport how the stage's tasks reach workers; default {@link Transport#HTTP}
 */
public record Stage(String name, Timeouts timeouts, RetryPolicy retry, int maxInFlight, Transport transport) {

  public Stage {
    if (timeouts == null) {
      timeouts = Timeouts.DEFAULTS;
    }
    if (retry == null) {
      retry = RetryPolicy.NONE;
    }
    if (transport == null) {
      transport = Transport.HTTP;
    }
    if (maxInFlight < 0) {
      throw new IllegalArgumentException("maxInFlight of stage " + name + " must be >= 0");
    }
  }

  /** An {@link Transport#HTTP} stage. */
  public Stage(String name, Timeouts timeouts, RetryPolicy retry, int maxInFlight) {
    this(name, timeouts, retry, maxInFlight, Transport.HTTP);
  }

  /** Whether its tasks travel through the broker. */
  public boolean brokered() {
    return transport == Transport.AMQP;
  }

  /** A stage with default timeouts, no retries and no in-flight limit. */
  public static Stage named(String name) {
    return new Stage(name, Timeouts.DEFAULTS, RetryPolicy.NONE, 0);
  }
}
