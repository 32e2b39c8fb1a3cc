package dev.ridley.worker.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ridley.worker.internal.Attempts;
import dev.ridley.worker.internal.BrokerConsumers;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes task queues for a {@code RidleyWorker} built with {@code .amqp(URI)}: one channel per
 * queue with a prefetch of the worker's concurrency, each delivery run on a virtual thread, and
 * acked only once its result was confirmed by the broker (at-least-once: a worker that dies with
 * unacked deliveries has them redelivered to another). The client's automatic recovery reconnects
 * and consumes again after the broker or the network came back.
 */
public final class AmqpConsumers implements BrokerConsumers {

  private static final Logger LOG = LoggerFactory.getLogger(AmqpConsumers.class);
  static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

  @Override
  public Running start(URI broker, String workerId, int concurrency, List<String> queues, Attempts attempts)
      throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(broker);
    } catch (Exception e) {
      throw new IllegalArgumentException("the broker URI cannot be used: " + e.getMessage(), e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(1000);
    factory.setRequestedHeartbeat(10);
    Connection connection;
    try {
      connection = factory.newConnection("ridley-worker-" + workerId);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("connecting to the broker timed out", e);
    }
    try {
      Results results = new Results(connection.createChannel());
      ConsumingQueues running = new ConsumingQueues(connection, concurrency);
      for (String queue : queues) running.consume(queue, attempts, results);
      return running;
    } catch (IOException | RuntimeException e) {
      connection.abort();
      throw e;
    }
  }

  /** The consumers of one worker, and what its close waits for. */
  private static final class ConsumingQueues implements Running {
    private final Connection connection;
    private final int concurrency;
    private final Semaphore slots;
    private final ExecutorService handlers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ridley-amqp-handler-", 1).factory());
    private final List<Channel> channels = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();

    ConsumingQueues(Connection connection, int concurrency) {
      this.connection = connection;
      this.concurrency = concurrency;
      this.slots = new Semaphore(concurrency);
    }

    void consume(String queue, Attempts attempts, Results results) throws IOException {
      Channel channel = connection.createChannel();
      // The same declaration as the server's, so a worker started first finds its queue.
      channel.queueDeclare(queue, true, false, false, QUORUM);
      channel.basicQos(concurrency);
      String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
          long delivery = envelope.getDeliveryTag();
          try {
            handlers.execute(() -> run(channel, delivery, body, attempts, results));
          } catch (java.util.concurrent.RejectedExecutionException closing) {
            // Arrived while the worker closes: back to the queue for another worker.
            try {
              channel.basicNack(delivery, false, true);
            } catch (IOException | RuntimeException e) {
              // the channel is closing; the broker requeues it then
            }
          }
        }
      });
      channels.add(channel);
      tags.add(tag);
    }

    private void run(Channel channel, long delivery, byte[] body, Attempts attempts, Results results) {
      slots.acquireUninterruptibly();
      try {
        boolean sent;
        try {
          sent = attempts.run(body, results);
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
    public void close() {
      for (int i = 0; i < channels.size(); i++) {
        try {
          channels.get(i).basicCancel(tags.get(i));
        } catch (IOException | RuntimeException e) {
          // closing anyway
        }
      }
      handlers.shutdown();
      try {
        if (!handlers.awaitTermination(30, TimeUnit.SECONDS)) handlers.shutdownNow();
      } catch (InterruptedException e) {
        handlers.shutdownNow();
        Thread.currentThread().interrupt();
      }
      try {
        connection.close(5_000);
      } catch (IOException | RuntimeException e) {
        connection.abort();
      }
    }
  }
}
