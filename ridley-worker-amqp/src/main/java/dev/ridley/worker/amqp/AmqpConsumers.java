package dev.ridley.worker.amqp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ridley.worker.internal.Attempts;
import dev.ridley.worker.internal.BrokerConsumers;
import dev.ridley.worker.internal.BrokerReplies;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes task queues for a {@code RidleyWorker} built with {@code .amqp(URI)}: one channel per
 * queue with a prefetch of the worker's concurrency, each delivery run on a virtual thread, and
 * acked only once its result was confirmed by the broker (at-least-once: a worker that dies with
 * unacked deliveries has them redelivered to another).
 *
 * <p>When the connection is lost, the worker connects, declares and consumes again by itself,
 * every second until it succeeds or is closed. It does not rely on the client's automatic
 * recovery: that recovers a consumer once, and a quorum queue still electing its leader after a
 * broker restart makes that one attempt fail, leaving a worker connected but consuming nothing.
 */
public final class AmqpConsumers implements BrokerConsumers {

  private static final Logger LOG = LoggerFactory.getLogger(AmqpConsumers.class);
  static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");
  static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

  @Override
  public Running start(URI broker, String workerId, int concurrency, List<String> queues, Attempts attempts)
      throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(broker);
    } catch (Exception e) {
      throw new IllegalArgumentException("the broker URI cannot be used: " + e.getMessage(), e);
    }
    factory.setAutomaticRecoveryEnabled(false);
    factory.setRequestedHeartbeat(10);
    // Bounded waits, so one attempt against a broker still starting fails and the next one runs:
    // the client's defaults (60 s to connect, 10 min for a declare) would stall the reconnects.
    factory.setConnectionTimeout(5_000);
    factory.setHandshakeTimeout(5_000);
    factory.setChannelRpcTimeout(15_000);
    ConsumingQueues running = new ConsumingQueues(factory, "ridley-worker-" + workerId, concurrency, queues, attempts);
    running.connect();
    return running;
  }

  /** One connection's channels: the results channel and a consuming channel per queue. */
  private record Session(Connection connection, Results results, List<Channel> channels, List<String> tags) {}

  /** The consumers of one worker, its reconnects, and what its close waits for. */
  private static final class ConsumingQueues implements Running, BrokerReplies {
    private final ConnectionFactory factory;
    private final String name;
    private final int concurrency;
    private final List<String> queues;
    private final Attempts attempts;
    private final Semaphore slots;
    private final ExecutorService handlers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ridley-amqp-handler-", 1).factory());
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private volatile Session session;
    private volatile boolean closed;

    ConsumingQueues(ConnectionFactory factory, String name, int concurrency, List<String> queues, Attempts attempts) {
      this.factory = factory;
      this.name = name;
      this.concurrency = concurrency;
      this.queues = List.copyOf(queues);
      this.attempts = attempts;
      this.slots = new Semaphore(concurrency);
    }

    /** Connects, opens the results channel and consumes every queue; the connection is closed on failure. */
    void connect() throws IOException {
      Connection connection;
      try {
        connection = factory.newConnection(name);
      } catch (TimeoutException e) {
        throw new IOException("connecting to the broker timed out", e);
      }
      connection.addShutdownListener(cause -> {
        if (!cause.isInitiatedByApplication() && !closed) reconnectLater(cause.getMessage());
      });
      try {
        Results results = new Results(connection.createChannel());
        List<Channel> channels = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String queue : queues) {
          Channel channel = connection.createChannel();
          // The same declaration as the server's, so a worker started first finds its queue.
          channel.queueDeclare(queue, true, false, false, QUORUM);
          channel.basicQos(concurrency);
          tags.add(channel.basicConsume(queue, false, consumer(channel)));
          channels.add(channel);
        }
        session = new Session(connection, results, channels, tags);
      } catch (IOException | RuntimeException e) {
        connection.abort();
        throw e;
      }
      if (closed) connection.abort();
    }

    private void reconnectLater(String why) {
      if (!reconnecting.compareAndSet(false, true)) return;
      LOG.warn("lost the broker ({}); consuming again once it is back", why);
      Thread.ofPlatform().daemon().name("ridley-amqp-reconnect").start(() -> {
        try {
          for (int attempt = 1; !closed; attempt++) {
            try {
              Thread.sleep(RECONNECT_EVERY.toMillis());
            } catch (InterruptedException e) {
              return;
            }
            if (closed) return;
            try {
              connect();
              LOG.info("consuming {} again after {} attempt(s)", queues, attempt);
              return;
            } catch (IOException | RuntimeException e) {
              if (attempt % 10 == 0) LOG.info("the broker is not back yet ({} attempts): {}", attempt, e.toString());
              else LOG.debug("the broker is not back yet: {}", e.toString());
            }
          }
        } finally {
          reconnecting.set(false);
        }
      });
    }

    private DefaultConsumer consumer(Channel channel) {
      return new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
          long delivery = envelope.getDeliveryTag();
          try {
            handlers.execute(() -> run(channel, delivery, body));
          } catch (java.util.concurrent.RejectedExecutionException closing) {
            // Arrived while the worker closes: back to the queue for another worker.
            try {
              channel.basicNack(delivery, false, true);
            } catch (IOException | RuntimeException e) {
              // the channel is closing; the broker requeues it then
            }
          }
        }
      };
    }

    private void run(Channel channel, long delivery, byte[] body) {
      slots.acquireUninterruptibly();
      try {
        boolean sent;
        try {
          // Results go out on the current connection: one made after a reconnect still reaches
          // the server, though this delivery's ack is lost with its channel (redelivered, then stale).
          sent = attempts.run(body, this);
        } catch (IllegalArgumentException notATask) {
          LOG.warn("rejected a message that is not a task: {}", notATask.getMessage());
          channel.basicReject(delivery, false);
          return;
        }
        if (sent) channel.basicAck(delivery, false);
        else channel.basicNack(delivery, false, true); // another worker (or this one) takes it again
      } catch (IOException | RuntimeException e) {
        // The channel closed: the broker redelivers the task, whose result (if sent) makes it stale.
        LOG.debug("could not settle a delivery ({}); the broker redelivers it", e.toString());
      } finally {
        slots.release();
      }
    }

    @Override
    public void send(ObjectNode event) throws IOException {
      current().results().send(event);
    }

    @Override
    public void sendConfirmed(ObjectNode result) throws IOException {
      current().results().sendConfirmed(result);
    }

    private Session current() throws IOException {
      Session s = session;
      if (s == null) throw new IOException("not connected to the broker");
      return s;
    }

    @Override
    public void close() {
      closed = true;
      Session s = session;
      if (s != null) {
        for (int i = 0; i < s.channels().size(); i++) {
          try {
            s.channels().get(i).basicCancel(s.tags().get(i));
          } catch (IOException | RuntimeException e) {
            // closing anyway
          }
        }
      }
      handlers.shutdown();
      try {
        if (!handlers.awaitTermination(30, TimeUnit.SECONDS)) handlers.shutdownNow();
      } catch (InterruptedException e) {
        handlers.shutdownNow();
        Thread.currentThread().interrupt();
      }
      s = session;
      if (s == null) return;
      try {
        s.connection().close(5_000);
      } catch (IOException | RuntimeException e) {
        s.connection().abort();
      }
    }
  }
}
