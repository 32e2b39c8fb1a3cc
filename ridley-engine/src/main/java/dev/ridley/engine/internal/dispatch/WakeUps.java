package dev.ridley.engine.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling workers when work may have arrived, so a new task reaches a waiting worker
 * without waiting out a sleep. A generation counter closes the race between "found nothing" and
 * "started waiting": a poller waits only if nothing happened since it looked.
 */
public final class WakeUps {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long generation;
  private volatile boolean draining;

  public long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  private volatile Runnable publisher = () -> {};

  /** Also tells {@code publisher} (other nodes) of every local wake-up from now on. */
  public void publishTo(Runnable publisher) {
    this.publisher = publisher;
  }

  /** Signals that tasks may be claimable now, here and, through the publisher, on other nodes. */
  public void wake() {
    wakeLocal();
    publisher.run();
  }

  /** Wakes this node's pollers only: for wake-ups that came from another node. */
  public void wakeLocal() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts this node in its closing state: waiting pollers wake at once, and {@link #draining()}
   * tells every poll to answer empty from now on. For good: a drained node is about to stop.
   */
  public void drain() {
    lock.lock();
    try {
      draining = true;
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #drain()} was called: polls hand out no more work. */
  public boolean draining() {
    return draining;
  }

  /**
   * Waits until a wake-up after {@code seen}, or {@code max} passes.
   *
   * @throws InterruptedException with the interrupt flag cleared, as usual; callers restore it
   */
  public void awaitAfter(long seen, Duration max) throws InterruptedException {
    long nanos = max.toNanos();
    lock.lock();
    try {
      while (generation == seen && nanos > 0 && !draining) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }
}
