package dev.ridley.worker.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import dev.ridley.worker.internal.BrokerReplies;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends to {@code ridley.results} on one channel in confirm mode. Publishes are serialized (a
 * channel's sequence numbers must match its publishes); the waits for confirms are not, so many
 * handlers' results share the broker's confirms.
 */
final class Results implements BrokerReplies {

  static final String QUEUE = "ridley.results";
  static final long CONFIRM_WAIT_SECONDS = 15;
  private static final AMQP.BasicProperties PERSISTENT_JSON =
      new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Channel channel;
  private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();

  Results(Channel channel) throws IOException {
    this.channel = channel;
    channel.confirmSelect();
    channel.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long seq, boolean multiple) {
        settle(seq, multiple, null);
      }

      @Override
      public void handleNack(long seq, boolean multiple) {
        settle(seq, multiple, new IOException("the broker refused the message (nack)"));
      }
    });
  }

  private void settle(long seq, boolean multiple, IOException failure) {
    var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
    done.forEach((k, f) -> {
      if (failure == null) f.complete(null);
      else f.completeExceptionally(failure);
    });
    done.clear();
  }

  @Override
  public void send(ObjectNode event) throws IOException {
    publish(event);
  }

  @Override
  public void sendConfirmed(ObjectNode result) throws IOException {
    CompletableFuture<Void> confirmed = publish(result);
    try {
      confirmed.get(CONFIRM_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the broker did not confirm the result within " + CONFIRM_WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the broker's confirm");
    } finally {
      unconfirmed.values().remove(confirmed);
    }
  }

  private CompletableFuture<Void> publish(ObjectNode message) throws IOException {
    byte[] body = JSON.writeValueAsBytes(message);
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    synchronized (this) {
      if (!channel.isOpen()) throw new IOException("the channel to the broker is closed");
      unconfirmed.put(channel.getNextPublishSeqNo(), confirmed);
      channel.basicPublish("", QUEUE, PERSISTENT_JSON, body);
    }
    return confirmed;
  }
}
