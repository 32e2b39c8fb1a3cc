package dev.ridley.server.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import dev.ridley.engine.BrokerProtocol;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.RidleyException;
import dev.ridley.server.http.WireFormat;
import dev.ridley.worker.trace.TraceHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox: leases entries, publishes each task to its stage's queue on a channel in
 * confirm mode, and marks an entry sent once the broker confirmed it. Publishing does not wait for
 * the confirms: they arrive on the connection's thread and a marker thread records them in
 * batches, so a slow confirm (a quorum queue's replication) delays no other publish. A lease keeps
 * other relays off an entry until it is marked; a relay that dies between the publish and the mark
 * leaves leases that run out, and the entries are published again: a duplicate delivery, whose
 * result the engine refuses as stale or answers as the same result sent again.
 */
final class Relay {

  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** The most entries one lease takes. */
  static final int BATCH = 500;
  /** Published and not yet confirmed, at most; above it the relay waits for confirms. */
  static final int MAX_UNCONFIRMED = 5_000;
  /** How long a round waits for new tasks before it checks the connection again. */
  static final Duration IDLE_WAIT = Duration.ofMillis(500);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BrokerProtocol brokers;
  private final Channel channel;
  /** Publish sequence number to task id, until the broker confirms (or refuses) it. */
  private final ConcurrentNavigableMap<Long, UUID> unconfirmed = new ConcurrentSkipListMap<>();
  private final LinkedBlockingQueue<UUID> confirmed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<UUID> refused = new LinkedBlockingQueue<>();

  Relay(BrokerProtocol brokers, Channel channel) throws IOException {
    this.brokers = brokers;
    this.channel = channel;
    channel.confirmSelect();
    channel.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long seq, boolean multiple) {
        settle(seq, multiple, confirmed);
      }

      @Override
      public void handleNack(long seq, boolean multiple) {
        settle(seq, multiple, refused);
      }
    });
  }

  private void settle(long seq, boolean multiple, LinkedBlockingQueue<UUID> into) {
    var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
    into.addAll(done.values());
    done.clear();
  }

  /**
   * Publishes until {@code running} says stop or the broker connection fails; entries still
   * unconfirmed then are given back (or their leases run out).
   *
   * @throws IOException when the broker is gone (the caller reconnects)
   */
  void run(BooleanSupplier running) throws IOException, InterruptedException {
    Thread marker = Thread.ofPlatform().daemon().name("ridley-amqp-marker").start(() -> markLoop(running));
    try {
      publishLoop(running);
    } finally {
      marker.interrupt();
      marker.join(5_000);
      markConfirmed();
      giveBack(new ArrayList<>(unconfirmed.values()));
      unconfirmed.clear();
    }
  }

  private void publishLoop(BooleanSupplier running) throws IOException, InterruptedException {
    while (running.getAsBoolean() && channel.isOpen()) {
      if (unconfirmed.size() >= MAX_UNCONFIRMED) {
        Thread.sleep(5);
        continue;
      }
      List<ClaimedTask> tasks;
      try {
        tasks = brokers.lease(BATCH, BrokerProtocol.DEFAULT_LEASE, IDLE_WAIT);
      } catch (RidleyException e) {
        // The database is unavailable, or a lease's commit outcome is unknown (its lease runs out).
        log.warn("the outbox relay cannot lease from the database ({}); retrying", e.getMessage());
        Thread.sleep(1000);
        continue;
      }
      for (int i = 0; i < tasks.size(); i++) {
        try {
          publish(tasks.get(i));
        } catch (IOException | RuntimeException e) {
          giveBack(tasks.subList(i, tasks.size()).stream().map(ClaimedTask::id).toList());
          throw e instanceof IOException io ? io : new IOException("publishing a task failed: " + e, e);
        }
      }
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
    byte[] body = JSON.writeValueAsBytes(WireFormat.task(t));
    unconfirmed.put(channel.getNextPublishSeqNo(), t.id());
    channel.basicPublish("", Topology.tasks(t.pipeline(), t.stage()), props, body);
  }

  /** Records confirms in batches, and gives refused entries back, until the relay stops. */
  private void markLoop(BooleanSupplier running) {
    while (running.getAsBoolean()) {
      try {
        UUID first = confirmed.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          List<UUID> ids = new ArrayList<>();
          ids.add(first);
          confirmed.drainTo(ids, 5_000);
          markSent(ids);
        }
        List<UUID> nacked = new ArrayList<>();
        refused.drainTo(nacked);
        if (!nacked.isEmpty()) giveBack(nacked);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void markConfirmed() {
    List<UUID> ids = new ArrayList<>();
    confirmed.drainTo(ids);
    if (!ids.isEmpty()) {
      try {
        markSent(ids);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The broker confirmed them; when the database cannot be told, their leases run out and they go again. */
  private void markSent(List<UUID> ids) throws InterruptedException {
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

  private void giveBack(List<UUID> ids) {
    if (ids.isEmpty()) return;
    try {
      brokers.unleased(ids);
    } catch (RidleyException e) {
      // Their leases run out and any relay publishes them then.
    }
  }
}
