package dev.ridley.worker.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machinery behind {@code RidleyWorker}: one poll loop, handlers on virtual threads. Start and
 * close are synchronized so a close racing a start never sees a half-started worker.
 */
public final class WorkerRuntime {

  /** After shutdownTimeout, how long interrupted handlers get to wind down. */
  static final Duration FORCED_STOP_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final WorkerSettings settings;
  private final Transport transport;
  private final Semaphore slots;
  private final ExecutorService handlers;
  private final TaskRunner runner;
  private volatile PollLoop loop;
  private volatile BrokerConsumers.Running consumers;
  private Thread brokerStart;
  private final Object brokerLock = new Object();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile boolean forcedStop;
  private Thread pollThread;

  public WorkerRuntime(WorkerSettings settings) {
    this.settings = settings;
    this.transport = new Transport(settings.server(), settings.requestTimeout(), settings.credentials(), settings.ssl());
    this.slots = new Semaphore(settings.concurrency());
    this.handlers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ridley-handler-", 1).factory());
    this.runner = new TaskRunner(settings, transport, () -> forcedStop);
  }

  /** Why the poll loop stopped on its own (credentials or stages refused), if it did. */
  public java.util.Optional<dev.ridley.worker.RidleyClientException> failure() {
    return java.util.Optional.ofNullable(loop.refusal());
  }

  /**
   * @throws IllegalStateException when started twice or after close
   */
  public synchronized void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          "worker " + settings.workerId() + " was already " + state.get().name().toLowerCase());
    }
    if (settings.amqp() == null) {
      poll(List.copyOf(settings.handlers().keySet()));
    } else {
      brokerStart = Thread.ofVirtual().name("ridley-amqp-start-" + settings.workerId()).start(this::startBrokered);
    }
  }

  /** Starts the long-poll loop for these stages. */
  private void poll(List<String> stages) {
    loop = new PollLoop(settings, transport, slots, handlers, runner, stages);
    pollThread = Thread.ofVirtual().name("ridley-poll-" + settings.workerId()).start(loop);
    LOG.info("worker "
            + settings.workerId()
            + " polling "
            + transport.base()
            + " for stages "
            + new TreeSet<>(stages)
            + ", concurrency "
            + settings.concurrency());
  }

  /**
   * Learns from the server which of this worker's stages are amqp stages (and of which pipelines),
   * consumes their queues, and polls the others over HTTP. Retries until the server and the broker
   * answer, or the worker is closed.
   */
  private void startBrokered() {
    Backoff backoff = new Backoff(PollLoop.FIRST_BACKOFF, PollLoop.MAX_BACKOFF);
    Outage outage = new Outage(LOG, "starting to consume from " + settings.amqp().getHost());
    while (state.get() == State.RUNNING) {
      try {
        BrokeredStages found = BrokeredStages.ask(transport, settings.handlers().keySet());
        java.util.Set<String> served = new java.util.TreeSet<>(found.polled());
        found.queues().forEach(q -> served.add(q.substring(q.lastIndexOf('.') + 1)));
        java.util.Set<String> nowhere = new java.util.TreeSet<>(settings.handlers().keySet());
        nowhere.removeAll(served);
        if (!nowhere.isEmpty()) {
          LOG.warn("worker " + settings.workerId() + " has handlers for stages no loaded pipeline has: " + nowhere);
        }
        // Not this object's monitor: close() holds it while it waits for this thread.
        synchronized (brokerLock) {
          if (state.get() != State.RUNNING) return;
          consumers = BrokerConsumers.find().orElseThrow().start(settings.amqp(), settings.workerId(),
              settings.concurrency(), found.queues(), new Attempts(settings, () -> forcedStop));
          LOG.info("worker " + settings.workerId() + " consuming " + found.queues() + " from "
              + settings.amqp().getHost() + ":" + settings.amqp().getPort() + ", prefetch " + settings.concurrency());
          if (!found.polled().isEmpty()) poll(found.polled());
        }
        outage.recovered();
        return;
      } catch (IOException | RuntimeException e) {
        outage.failed(e.toString());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(backoff.next());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Stops polling, lets running handlers finish and report, then frees the connections. A task the
   * server claimed for the poll being cut short is redelivered after its timeout.
   */
  public synchronized void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before != State.RUNNING) {
      if (before == State.NEW) {
        handlers.shutdown();
        transport.closeNow();
      }
      return;
    }
    boolean interrupted = false;
    if (brokerStart != null) {
      brokerStart.interrupt();
      interrupted |= joinUninterruptibly(brokerStart);
    }
    if (consumers != null) consumers.close();
    if (loop != null) {
      loop.stop();
      pollThread.interrupt();
      interrupted |= joinUninterruptibly(pollThread);
    }
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        forceStop();
      }
    } catch (InterruptedException e) {
      interrupted = true;
      forceStop();
    }
    transport.closeNow();
    LOG.info("worker " + settings.workerId() + " stopped");
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void forceStop() {
    int running = settings.concurrency() - slots.availablePermits();
    LOG.warn("worker "
            + settings.workerId()
            + ": "
            + running
            + " handlers still running after shutdownTimeout "
            + settings.shutdownTimeout()
            + "; interrupting them");
    forcedStop = true;
    handlers.shutdownNow();
    try {
      if (!handlers.awaitTermination(FORCED_STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("worker "
                + settings.workerId()
                + ": handlers ignore interruption; leaving them behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return whether the caller was interrupted meanwhile, for it to restore
   */
  private static boolean joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }
}
