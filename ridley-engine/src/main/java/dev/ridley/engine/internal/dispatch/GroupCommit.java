package dev.ridley.engine.internal.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Lets concurrent single requests share one transaction. A caller queues its request; while
 * fewer than {@code flushers} batches are running, it takes the whole queue (its own request and
 * any that arrived with it) and runs it as one batch; otherwise it waits, and when a batch ends,
 * a waiter still queued takes over. Under light load every request runs at once, alone, with no
 * added delay; under heavy load requests gather while the running batches commit, so the commits
 * per second stay near {@code flushers} per flush time and the work per commit grows.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
public final class GroupCommit<Q, A> {

  private final int flushers;
  private final int maxBatch;
  private final Function<List<Q>, List<A>> runBatch;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition batchEnded = lock.newCondition();
  private final List<Pending<Q, A>> queue = new ArrayList<>();
  private int running;

  private static final class Pending<Q, A> {
    final Q request;
    A answer;
    RuntimeException failure;
    boolean done;

    Pending(Q request) {
      this.request = request;
    }
  }

  /**
   * @param flushers batches that may run at once (each holds one database connection)
   * @param maxBatch the most requests one batch takes
   * @param runBatch runs requests together; answers in the order given
   */
  public GroupCommit(int flushers, int maxBatch, Function<List<Q>, List<A>> runBatch) {
    if (flushers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("flushers and maxBatch must be at least 1, were " + flushers + " and " + maxBatch);
    }
    this.flushers = flushers;
    this.maxBatch = maxBatch;
    this.runBatch = runBatch;
  }

  /** Runs the request, in a batch with whatever else is queued; returns its answer. */
  public A submit(Q request) {
    Pending<Q, A> me = new Pending<>(request);
    lock.lock();
    try {
      queue.add(me);
      while (!me.done) {
        if (running < flushers && queue.contains(me)) {
          List<Pending<Q, A>> batch = take();
          running++;
          lock.unlock();
          try {
            run(batch);
          } finally {
            lock.lock();
            running--;
            batchEnded.signalAll();
          }
        } else {
          // Uninterruptible on purpose: a caller that gave up could not take back a queued report.
          batchEnded.awaitUninterruptibly();
        }
      }
      return answer(me);
    } finally {
      lock.unlock();
    }
  }

  private List<Pending<Q, A>> take() {
    int n = Math.min(queue.size(), maxBatch);
    List<Pending<Q, A>> batch = new ArrayList<>(queue.subList(0, n));
    queue.subList(0, n).clear();
    return batch;
  }

  /** Runs a batch without the lock; answers are published when the caller retakes it. */
  private void run(List<Pending<Q, A>> batch) {
    List<A> answers = null;
    RuntimeException failure = null;
    try {
      answers = runBatch.apply(batch.stream().map(p -> p.request).toList());
    } catch (RuntimeException e) {
      failure = e;
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending<Q, A> p = batch.get(i);
      if (failure != null) p.failure = failure;
      else p.answer = answers.get(i);
    }
    lock.lock();
    try {
      batch.forEach(p -> p.done = true);
    } finally {
      lock.unlock();
    }
  }

  private A answer(Pending<Q, A> p) {
    if (p.failure != null) throw p.failure;
    return p.answer;
  }
}
