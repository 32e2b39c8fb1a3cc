package dev.ridley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker with {@code concurrency} handler slots, built like the SDK's: one long-poll loop asks
 * for as many tasks as there are free slots (up to {@code prefetch} claimed and unreported), each
 * task runs on its own virtual thread once a handler slot is free, and a slot comes back when its
 * result is applied. With a batching protocol, results that finish while a
 * report is in flight go together in the next one (group commit, no timer), with up to
 * {@link #REPORTERS} reports in flight; otherwise each handler reports its own result.
 */
final class Workers implements AutoCloseable {

  /**
   * A no-op handler: records the run and hands its input on as output. Null drops the task: the
   * worker goes silent on that attempt (no report, no heartbeat) and frees its slot, as a worker
   * that crashed mid-task would, so the attempt's heartbeat timer falls due.
   */
  interface Handler {
    JsonNode handle(Protocol.Task task);
  }

  static final Duration POLL_WAIT = Duration.ofSeconds(1);

  /**
   * Reports in flight at once: while one batch is being applied, results gather and go in
   * another, so the database always has a batch to work on (batches hold different tasks and so
   * different processes, and never wait on each other).
   */
  static final int REPORTERS = 2;

  private final Protocol protocol;
  private final List<String> stages;
  private final int concurrency;
  private final Handler handler;
  private final java.util.function.Consumer<Protocol.Task> applied;
  private final Semaphore slots;
  private final Semaphore handlerSlots;
  private final int prefetch;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final LinkedBlockingQueue<Protocol.Result> results = new LinkedBlockingQueue<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final String workerId;
  private volatile boolean running = true;
  private volatile java.util.function.Consumer<Protocol.Task> arrived = t -> {};
  private Thread pollLoop;
  private final List<Thread> reporters = new ArrayList<>();

  /**
   * @param applied called for each task whose result was applied
   */
  Workers(Protocol protocol, String workerId, List<String> stages, int concurrency, Handler handler,
      java.util.function.Consumer<Protocol.Task> applied) {
    this(protocol, workerId, stages, concurrency, concurrency, handler, applied);
  }

  /**
   * @param prefetch the most tasks claimed and not yet reported (queued for a handler, running,
   *     or being reported), at least {@code concurrency}; db-scheduler's lock-and-fetch takes up to
   *     4x its threads the same way
   */
  Workers(Protocol protocol, String workerId, List<String> stages, int concurrency, int prefetch, Handler handler,
      java.util.function.Consumer<Protocol.Task> applied) {
    this.protocol = protocol;
    this.workerId = workerId;
    this.stages = List.copyOf(stages);
    this.concurrency = concurrency;
    this.handler = handler;
    this.applied = applied;
    this.prefetch = Math.max(prefetch, concurrency);
    this.slots = new Semaphore(this.prefetch);
    this.handlerSlots = new Semaphore(concurrency);
  }

  /** Tells {@code arrived} of every task as soon as its poll answer is here, before a handler runs it. */
  Workers onArrival(java.util.function.Consumer<Protocol.Task> arrived) {
    this.arrived = arrived;
    return this;
  }

  Workers start() {
    pollLoop = Thread.ofPlatform().name("bench-poll").daemon().start(this::pollLoop);
    if (protocol.batches()) {
      for (int i = 0; i < REPORTERS; i++) {
        reporters.add(Thread.ofPlatform().name("bench-report-" + i).daemon().start(this::reportLoop));
      }
    }
    return this;
  }

  /** The first error a worker thread met, or null. */
  Throwable failure() {
    return failure.get();
  }

  private void pollLoop() {
    while (running) {
      try {
        slots.acquire();
        int reserved = 1 + slots.drainPermits();
        List<Protocol.Task> tasks;
        try {
          tasks = protocol.poll(workerId, stages, reserved, POLL_WAIT);
        } catch (Exception e) {
          slots.release(reserved);
          throw e;
        }
        slots.release(reserved - tasks.size());
        for (Protocol.Task t : tasks) arrived.accept(t);
        for (Protocol.Task t : tasks) handlers.execute(() -> run(t));
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) fail(e);
        return;
      }
    }
  }

  private void run(Protocol.Task task) {
    try {
      JsonNode output;
      handlerSlots.acquire();
      try {
        output = handler.handle(task);
      } finally {
        handlerSlots.release();
      }
      if (output == null) {
        slots.release();
        return;
      }
      Protocol.Result result = new Protocol.Result(task, output);
      if (protocol.batches()) {
        results.add(result);
        return;
      }
      protocol.complete(List.of(result));
      applied.accept(task);
      slots.release();
    } catch (Exception e) {
      fail(e);
    }
  }

  private void reportLoop() {
    List<Protocol.Result> batch = new ArrayList<>();
    while (running || !results.isEmpty()) {
      try {
        Protocol.Result first = results.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        results.drainTo(batch);
        protocol.complete(batch);
        for (Protocol.Result r : batch) applied.accept(r.task());
        slots.release(batch.size());
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        fail(e);
        return;
      }
    }
  }

  private void fail(Throwable e) {
    if (failure.compareAndSet(null, e)) {
      System.err.println("bench: worker failed: " + e);
    }
  }

  int concurrency() {
    return concurrency;
  }

  int prefetch() {
    return prefetch;
  }

  /**
   * Stops without interrupting a poll in flight: the poll ends within its wait, and a long poll
   * the server still holds cannot claim tasks for a worker that is gone (the next run's, say).
   */
  void stop() {
    running = false;
    close();
  }

  @Override
  public void close() {
    if (running) {
      running = false;
      if (pollLoop != null) pollLoop.interrupt();
    }
    join(pollLoop);
    handlers.shutdown();
    try {
      handlers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reporters.forEach(Workers::join);
  }

  private static void join(Thread t) {
    if (t == null) return;
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
