package dev.ridley.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.worker.ErrorInfo;
import dev.ridley.worker.Outcome;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.TaskContext;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The workers of the {@code divide} pipeline: {@code divide} computes x / y, {@code ocean} and
 * {@code errors} pass their input on. Each behaviour the demo needs is one payload away:
 *
 * <ul>
 *   <li>{@code {"x": 1, "y": 2}} succeeds with output {@code 0.5};
 *   <li>{@code {"y": 0}} throws, so the stage's retries run, then {@code divide.failed} routes;
 *   <li>{@code x >= 100000} claims the task and goes silent (no heartbeats, no result), like a
 *       machine that hung: the engine's heartbeat timer has to notice;
 *   <li>a payload without numbers fails at once, without retries.
 * </ul>
 */
public final class DivideWorkers {

  /** At or above this x, {@code divide} hangs without heartbeats. */
  public static final double HANG_FROM_X = 100_000;

  private DivideWorkers() {}

  /** Adds the divide pipeline's handlers to a worker, to combine them with other examples. */
  public static RidleyWorker.Builder register(RidleyWorker.Builder builder) {
    return builder
        .handle("divide", DivideWorkers::divide)
        .handle("ocean", DivideWorkers::passOn)
        .handle("errors", DivideWorkers::passOn);
  }

  /** A started worker with the divide handlers; close it to stop. */
  public static RidleyWorker start(URI server) {
    return start(server, null);
  }

  /**
   * As {@link #start(URI)}, against a server with API keys: {@code apiKey} (null: none) must have
   * the role worker, for the stages divide, ocean and errors.
   */
  public static RidleyWorker start(URI server, String apiKey) {
    RidleyWorker.Builder builder = RidleyWorker.builder(server);
    if (apiKey != null && !apiKey.isBlank()) builder.apiKey(apiKey);
    return register(
            builder
                .workerId("divide-" + ProcessHandle.current().pid())
                // Waiting longer at close is pointless: the handlers answer at once, except the
                // deliberately hung ones, which never will.
                .shutdownTimeout(Duration.ofSeconds(5)))
        .build()
        .start();
  }

  static Object divide(TaskContext task) throws InterruptedException {
    JsonNode x = task.input().get("x");
    JsonNode y = task.input().get("y");
    if (x == null || !x.isNumber() || y == null || !y.isNumber()) {
      // Another attempt would read the same payload: fail without spending retries.
      return Outcome.failed(
          ErrorInfo.of(
              IllegalArgumentException.class.getName(),
              "divide expects {\"x\": number, \"y\": number}, got " + task.input()),
          false);
    }
    if (y.asDouble() == 0) {
      throw new ArithmeticException("division by zero: " + x.asText() + " / 0");
    }
    if (x.asDouble() >= HANG_FROM_X) {
      task.stopHeartbeats();
      new CountDownLatch(1).await(); // forever, until the worker's close interrupts it
    }
    return x.asDouble() / y.asDouble();
  }

  static Object passOn(TaskContext task) {
    return task.input();
  }
}
