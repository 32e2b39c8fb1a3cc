package dev.ridley.worker.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Consuming tasks from a message broker, implemented outside this module ({@code
 * ridley-worker-amqp}) so that HTTP workers never need a broker client: found with {@link
 * ServiceLoader} when a worker is built with {@code .amqp(URI)}.
 */
public interface BrokerConsumers {

  /**
   * Connects and consumes the queues, at most {@code concurrency} deliveries unacknowledged at once
   * per queue, running each task with {@code attempts}.
   *
   * @throws IOException when the broker cannot be reached
   */
  Running start(URI broker, String workerId, int concurrency, List<String> queues, Attempts attempts)
      throws IOException;

  /** Consumers that run. */
  interface Running extends AutoCloseable {
    /** Stops consuming, lets the handlers in flight finish and report, then disconnects. */
    @Override
    void close();
  }

  /** The implementation on the class path, if any. */
  static Optional<BrokerConsumers> find() {
    return ServiceLoader.load(BrokerConsumers.class, BrokerConsumers.class.getClassLoader()).findFirst();
  }
}
