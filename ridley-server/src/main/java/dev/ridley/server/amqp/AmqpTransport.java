package dev.ridley.server.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.ridley.engine.Engine;
import dev.ridley.engine.pipeline.Pipeline;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to RabbitMQ ({@code RIDLEY_AMQP_URL}): declares the topology, runs the outbox
 * relay and the results consumer, and reconnects by itself when the broker goes away. The broker
 * being down stops nothing else: starts and HTTP reports are still taken, the outbox grows, and
 * {@code /health} says {@code "amqp": "DOWN"}.
 */
public final class AmqpTransport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AmqpTransport.class);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final ConnectionFactory factory;
  private final Engine engine;
  private final List<Pipeline> pipelines;
  private final Thread supervisor;
  private volatile boolean closed;
  private volatile boolean up;
  private volatile Connection connection;

  private AmqpTransport(ConnectionFactory factory, Engine engine, List<Pipeline> pipelines) {
    this.factory = factory;
    this.engine = engine;
    this.pipelines = List.copyOf(pipelines);
    this.supervisor = Thread.ofPlatform().daemon().name("ridley-amqp").unstarted(this::supervise);
  }

  /**
   * Starts connecting in the background; returns at once (the broker need not be up yet).
   *
   * @throws IllegalArgumentException when the URL cannot be used
   */
  public static AmqpTransport start(String url, Engine engine, List<Pipeline> pipelines) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(url);
    } catch (Exception e) {
      throw new IllegalArgumentException("RIDLEY_AMQP_URL cannot be used: " + e.getMessage(), e);
    }
    // Reconnecting is ours (below): a new connection, the topology again, a fresh consumer.
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    factory.setRequestedHeartbeat(10);
    AmqpTransport transport = new AmqpTransport(factory, engine, pipelines);
    transport.supervisor.start();
    return transport;
  }

  /**
   * Registers {@code ridley_amqp_up} (1 while this node is connected, else 0) and {@code
   * ridley_amqp_outbox_backlog} (tasks of amqp stages waiting to be published, read from the database
   * at each scrape; NaN when it cannot be read).
   */
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("ridley.amqp.up", this, t -> t.up ? 1 : 0)
        .description("Whether this node is connected to RabbitMQ (1) or not (0)").register(registry);
    io.micrometer.core.instrument.Gauge.builder("ridley.amqp.outbox.backlog", engine, e -> {
      try {
        return e.brokers().backlog();
      } catch (RuntimeException unavailable) {
        return Double.NaN;
      }
    }).description("Tasks of amqp stages waiting in the outbox to be published").register(registry);
  }

  /** Whether the node is connected to the broker, with its queues declared. */
  public boolean up() {
    return up;
  }

  private void supervise() {
    Duration backoff = FIRST_BACKOFF;
    boolean reported = false;
    while (!closed) {
      ResultsConsumer consumer = null;
      try (Connection c = factory.newConnection("ridley-server")) {
        connection = c;
        try (Channel admin = c.createChannel()) {
          Topology.declare(admin, pipelines);
        }
        consumer = new ResultsConsumer(engine, c.createChannel());
        consumer.start();
        Relay relay = new Relay(engine.brokers(), c.createChannel());
        up = true;
        backoff = FIRST_BACKOFF;
        if (reported) log.info("RabbitMQ is back at {}:{}; publishing the outbox", factory.getHost(), factory.getPort());
        else log.info("connected to RabbitMQ at {}:{}", factory.getHost(), factory.getPort());
        reported = false;
        relay.run(() -> !closed);
        if (closed) {
          up = false;
          consumer.stop();
          consumer = null;
        }
      } catch (InterruptedException e) {
        if (closed) break;
      } catch (Exception e) {
        if (!closed && !reported) {
          log.warn("RabbitMQ at {}:{} is unreachable ({}); starts and HTTP reports are still taken, the"
              + " outbox keeps the tasks, and this node reconnects by itself", factory.getHost(), factory.getPort(),
              e.toString());
          reported = true;
        }
      } finally {
        up = false;
        connection = null;
        if (consumer != null) consumer.stop();
      }
      if (closed) break;
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        if (closed) break;
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /**
   * Stops publishing, lets the results batch in progress be applied and acked, then closes the
   * connection: what was not acked is redelivered to another node.
   */
  @Override
  public void close() {
    closed = true;
    supervisor.interrupt();
    try {
      supervisor.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection c = connection;
    if (c != null && c.isOpen()) {
      try {
        c.abort(2_000);
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
