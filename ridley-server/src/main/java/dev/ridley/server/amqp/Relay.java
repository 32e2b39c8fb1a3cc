package dev.ridley.server.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.ridley.engine.BrokerProtocol;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.RidleyException;
import dev.ridley.server.http.WireFormat;
import dev.ridley.worker.trace.TraceHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox: leases entries, publishes each task to its stage's queue with publisher
 * confirms, and marks them sent once the broker confirmed them all. A crash between the publish and
 * the mark publishes them again after the lease runs out: a duplicate delivery, whose result the
 * engine refuses as stale or answers as the same result sent again.
 */
final class Relay {

  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** The most entries one round publishes before it waits for their confirms. */
  static final int BATCH = 500;
  static final Duration CONFIRM_WAIT = Duration.ofSeconds(15);
  /** How long a round waits for new tasks before it checks the connection again. */
  static final Duration IDLE_WAIT = Duration.ofMillis(500);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BrokerProtocol brokers;
  private final Channel channel;

  Relay(BrokerProtocol brokers, Channel channel) throws IOException {
    this.brokers = brokers;
    this.channel = channel;
    channel.confirmSelect();
  }

  /**
   * Publishes until {@code running} says stop or the broker connection fails.
   *
   * @throws IOException when the broker is gone (the caller reconnects)
   */
  void run(BooleanSupplier running) throws IOException, InterruptedException {
    while (running.getAsBoolean() && channel.isOpen()) {
      List<ClaimedTask> tasks;
      try {
        tasks = brokers.lease(BATCH, BrokerProtocol.DEFAULT_LEASE, IDLE_WAIT);
      } catch (DatabaseUnavailableException e) {
        log.warn("the outbox relay cannot reach the database ({}); retrying", e.getMessage());
        Thread.sleep(1000);
        continue;
      }
      if (tasks.isEmpty()) continue;
      List<java.util.UUID> ids = tasks.stream().map(ClaimedTask::id).toList();
      try {
        for (ClaimedTask t : tasks) publish(t);
        channel.waitForConfirmsOrDie(CONFIRM_WAIT.toMillis());
      } catch (IOException | TimeoutException | RuntimeException e) {
        giveBack(ids);
        throw e instanceof IOException io ? io : new IOException("publishing " + ids.size() + " tasks failed: " + e, e);
      }
      markSent(ids);
    }
  }

  private void publish(ClaimedTask t) throws IOException {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .messageId(t.id().toString())
        .correlationId(t.processId().toString())
        .headers(Map.of(TraceHeaders.TRACEPARENT, TraceHeaders.traceparent(t.traceId())))
        .build();
    channel.basicPublish("", Topology.tasks(t.pipeline(), t.stage()), props,
        JSON.writeValueAsBytes(WireFormat.task(t)));
  }

  /** The broker confirmed them; when the database cannot be told, their leases run out and they go again. */
  private void markSent(List<java.util.UUID> ids) throws InterruptedException {
    for (int tries = 1; ; tries++) {
      try {
        brokers.published(ids);
        return;
      } catch (RidleyException e) {
        if (tries >= 5) {
          log.warn("could not mark {} published tasks as sent ({}); they are published again when their"
              + " lease runs out", ids.size(), e.getMessage());
          return;
        }
        Thread.sleep(200L * tries);
      }
    }
  }

  private void giveBack(List<java.util.UUID> ids) {
    try {
      brokers.unleased(ids);
    } catch (RidleyException e) {
      // Their leases run out and any relay publishes them then.
    }
  }
}
