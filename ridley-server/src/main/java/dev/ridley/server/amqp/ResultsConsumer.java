package dev.ridley.server.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.RidleyException;
import dev.ridley.engine.TaskReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers send to {@code ridley.results}, in batches: the deliveries that arrived
 * together are applied in one transaction (group commit, as HTTP batch reports), and each is acked
 * only after that transaction committed. A stale or duplicate result is acked too: it changed
 * nothing, and the engine journaled it. A message that cannot be read is acked and logged (it
 * would fail the same way each time). When the database is unavailable, the batch goes back to the
 * queue (nack, requeue) and is tried again.
 */
final class ResultsConsumer {

  private static final Logger log = LoggerFactory.getLogger(ResultsConsumer.class);

  /** Unacknowledged deliveries the broker may push at once; also the largest batch. */
  static final int PREFETCH = 1000;

  private record Delivery(long tag, byte[] body) {}

  private final Engine engine;
  private final Channel channel;
  private final LinkedBlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
  private volatile boolean stopping;
  private Thread applier;
  // The batch being applied, touched by the applier thread only.
  private final List<Long> acks = new ArrayList<>();
  private boolean requeued;
  private boolean deferAcks;

  ResultsConsumer(Engine engine, Channel channel) {
    this.engine = engine;
    this.channel = channel;
  }

  void start() throws IOException {
    channel.basicQos(PREFETCH);
    channel.basicConsume(Topology.RESULTS, false, "ridley-results", new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        arrived.add(new Delivery(envelope.getDeliveryTag(), body));
      }
    });
    applier = Thread.ofPlatform().daemon().name("ridley-amqp-results").start(this::applyLoop);
  }

  /** Stops taking deliveries and lets the batch in progress finish (and be acked). */
  void stop() {
    stopping = true;
    if (applier != null) {
      try {
        applier.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void applyLoop() {
    List<Delivery> batch = new ArrayList<>();
    while (!stopping && channel.isOpen()) {
      try {
        Delivery first = arrived.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        arrived.drainTo(batch, PREFETCH - 1);
        apply(batch);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // The channel is gone: the broker redelivers what was not acked to the next connection.
        if (channel.isOpen()) log.warn("applying results failed; they are redelivered", e);
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Applies a batch and settles every delivery of it. Deliveries are handled in the order they
   * arrived, so when none went back to the queue, one ack with {@code multiple} settles the whole
   * batch (one command for the quorum queue's log rather than one per message).
   */
  private void apply(List<Delivery> batch) throws IOException, InterruptedException {
    requeued = false;
    deferAcks = true;
    acks.clear();
    boolean whole = false;
    try {
      applyBatch(batch);
      whole = true;
    } finally {
      // What committed is acked even when a later part of the batch failed; the rest is redelivered.
      deferAcks = false;
      if (whole && !requeued && acks.size() == batch.size()) {
        channel.basicAck(batch.getLast().tag(), true);
      } else {
        for (long tag : acks) channel.basicAck(tag, false);
      }
    }
  }

  private void ack(long tag) throws IOException {
    if (deferAcks) acks.add(tag);
    else channel.basicAck(tag, false);
  }

  private void applyBatch(List<Delivery> batch) throws IOException, InterruptedException {
    Map<UUID, String> started = new LinkedHashMap<>();
    Map<UUID, Delivery> startedFrom = new LinkedHashMap<>();
    List<Delivery> duplicateStarts = new ArrayList<>();
    List<Delivery> heartbeats = new ArrayList<>();
    List<UUID> beating = new ArrayList<>();
    List<Delivery> resultsFrom = new ArrayList<>();
    List<TaskReport> results = new ArrayList<>();
    for (Delivery d : batch) {
      ResultMessage m;
      try {
        m = ResultMessage.parse(d.body());
      } catch (IllegalArgumentException refused) {
        log.warn("refused a message on {}: {}; it is acked and dropped", Topology.RESULTS, refused.getMessage());
        UUID about = ResultMessage.taskIdIn(d.body());
        if (about != null) {
          try {
            engine.brokers().refused(about, refused.getMessage());
          } catch (RidleyException e) {
            // the log line above is the record then
          }
        }
        ack(d.tag());
        continue;
      }
      switch (m.kind()) {
        case STARTED -> {
          if (startedFrom.containsKey(m.taskId())) {
            duplicateStarts.add(d);
          } else {
            started.put(m.taskId(), m.worker() == null ? "" : m.worker());
            startedFrom.put(m.taskId(), d);
          }
        }
        case HEARTBEAT -> {
          heartbeats.add(d);
          beating.add(m.taskId());
        }
        case RESULT -> {
          resultsFrom.add(d);
          results.add(m.report());
        }
      }
    }
    // A started message whose result came in the same batch is claimed in the report's
    // transaction (for the worker it names); the others are claimed together, first, so a result
    // in a later batch ends a running attempt.
    Map<UUID, String> startedWithResult = new LinkedHashMap<>();
    List<Delivery> foldedFrom = new ArrayList<>();
    for (TaskReport r : results) {
      String worker = started.remove(r.taskId());
      if (worker != null) {
        startedWithResult.put(r.taskId(), worker);
        foldedFrom.add(startedFrom.remove(r.taskId()));
      }
    }
    List<Delivery> alone = new ArrayList<>(startedFrom.values());
    alone.addAll(duplicateStarts);
    try {
      engine.brokers().started(started);
    } catch (RidleyException e) {
      retryLater(alone, e);
      alone.clear();
    }
    ack(alone);
    for (int i = 0; i < heartbeats.size(); i++) {
      try {
        engine.workers().heartbeat(beating.get(i));
      } catch (DatabaseUnavailableException e) {
        retryLater(List.of(heartbeats.get(i)), e);
        continue;
      } catch (RidleyException noLongerCurrent) {
        // Ended or unknown: the worker learns it when its result is refused.
      }
      ack(heartbeats.get(i).tag());
    }
    if (results.isEmpty()) return;
    List<ReportResult> answers;
    try {
      answers = engine.brokers().report(results, startedWithResult);
    } catch (RidleyException e) {
      List<Delivery> again = new ArrayList<>(foldedFrom);
      again.addAll(resultsFrom);
      retryLater(again, e);
      return;
    }
    // The claim went with its result: when that result goes back to the queue, it implies the claim again.
    ack(foldedFrom);
    for (int i = 0; i < answers.size(); i++) {
      RidleyException refused = answers.get(i).refused();
      if (refused instanceof DatabaseUnavailableException || refused instanceof CommitOutcomeUnknownException) {
        retryLater(List.of(resultsFrom.get(i)), refused);
      } else {
        if (refused != null && !(refused instanceof dev.ridley.engine.ConflictException)) {
          log.warn("refused the result for task {} from {}: {}", answers.get(i).taskId(), Topology.RESULTS,
              refused.getMessage());
        }
        ack(resultsFrom.get(i).tag());
      }
    }
  }

  private void ack(List<Delivery> done) throws IOException {
    for (Delivery d : done) ack(d.tag());
  }

  /** Back to the queue, to be applied when the database answers again. */
  private void retryLater(List<Delivery> deliveries, RidleyException why) throws IOException, InterruptedException {
    log.warn("could not apply {} message(s) from {} ({}); they go back to the queue", deliveries.size(),
        Topology.RESULTS, why.getMessage());
    requeued = true;
    for (Delivery d : deliveries) channel.basicNack(d.tag(), false, true);
    Thread.sleep(500);
  }
}
