package dev.ridley.examples.orders;

import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.TaskContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agents of the {@code orders} pipeline: each takes a work unit at stage {@code order}, works
 * on it for a random while, and randomly succeeds or fails. A failure is retried once by the
 * stage's policy; a unit that fails both attempts ends FAILED ("error").
 *
 * <p>Run several agents with a concurrency that adds up to more than the stage's {@code
 * maxInFlight: 50}: the engine, not the agents, keeps at most 50 units in hand.
 *
 * @param failureRate the chance that one attempt fails, between 0 and 1
 * @param minWork the shortest an attempt works
 * @param maxWork the longest an attempt works
 */
public record OrderAgents(double failureRate, Duration minWork, Duration maxWork) {

  public static final String PIPELINE = "orders";
  /** The same scenario over RabbitMQ ({@code pipelines-amqp/orders-amqp.yaml}): agents built with {@code .amqp(URI)}. */
  public static final String AMQP_PIPELINE = "orders-amqp";
  public static final String STAGE = "order";

  /** The demo's agents: one attempt in five fails; work takes 0.2 to 2 s, so the limit shows. */
  public static final OrderAgents DEMO =
      new OrderAgents(0.2, Duration.ofMillis(200), Duration.ofSeconds(2));

  public OrderAgents {
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1, was " + failureRate);
    }
    if (minWork.isNegative() || maxWork.compareTo(minWork) < 0) {
      throw new IllegalArgumentException("need 0 <= minWork <= maxWork, got " + minWork + " and " + maxWork);
    }
  }

  /** Adds the agent's handler to a worker. */
  public RidleyWorker.Builder register(RidleyWorker.Builder builder) {
    return builder.handle(STAGE, this::work);
  }

  /** The handler: works a while, then returns the result or throws (a retryable failure). */
  public Object work(TaskContext task) throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long spread = maxWork.toMillis() - minWork.toMillis();
    Thread.sleep(minWork.toMillis() + (spread == 0 ? 0 : random.nextLong(spread + 1)));
    if (random.nextDouble() < failureRate) {
      // A thrown exception is a retryable failure: the stage's retry policy decides what's next.
      throw new IllegalStateException(
          "agent could not complete " + task.input() + " (attempt " + task.attempt() + ")");
    }
    return Map.of("unit", task.input(), "attempt", task.attempt(), "result", "done");
  }
}
