package dev.ridley.engine.internal.dispatch;

import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.StartRows;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callers waiting for processes to end, woken by the end itself instead of re-reading the process
 * over and over. A process that ends on this node wakes its waiters at once ({@link #ended}); one
 * that ends on another node is found by one re-read of every waited-for process, made soon after
 * another node says that processes ended ({@link #recheckSoon}), and in any case every {@code
 * recheck}, in case a wake-up was lost. A re-read is one statement for all the waiters, so the
 * database's work does not grow with their number, and there is none while nobody waits.
 */
public final class EndWaiters implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EndWaiters.class);

  /** The least time between two re-reads asked for by other nodes' hints. */
  static final long MIN_GAP_NANOS = 20_000_000;

  /** Each waiter's own latch, by the process it waits for; a key is gone once nobody waits. */
  private final ConcurrentHashMap<UUID, Set<CountDownLatch>> waiting = new ConcurrentHashMap<>();
  private final Db db;
  private final Duration recheck;
  private final Thread rechecker;
  private volatile boolean soon;
  private volatile boolean closed;

  public EndWaiters(Db db, Duration recheck) {
    this.db = db;
    this.recheck = recheck;
    this.rechecker = Thread.ofPlatform().daemon().name("ridley-end-waiters").start(this::recheckLoop);
  }

  /**
   * Starts waiting for the process's end. The caller then reads the process (to skip a wait for
   * one already ended) and calls {@link Wait#await}: an end told after the registration wakes it,
   * so none falls between the read and the wait. Closing the wait forgets it.
   */
  public Wait register(UUID id) {
    CountDownLatch latch = new CountDownLatch(1);
    waiting.compute(id, (k, latches) -> {
      Set<CountDownLatch> in = latches == null ? new HashSet<>() : latches;
      in.add(latch);
      return in;
    });
    return new Wait(id, latch);
  }

  /** One caller's wait for one process, with a latch of its own (so a new wait never sees an old end). */
  public final class Wait implements AutoCloseable {
    private final UUID id;
    private final CountDownLatch latch;
    private boolean closed;

    private Wait(UUID id, CountDownLatch latch) {
      this.id = id;
      this.latch = latch;
    }

    /** @return whether the end woke it (false: {@code max} passed) */
    public boolean await(Duration max) throws InterruptedException {
      return latch.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      waiting.computeIfPresent(id, (k, latches) -> {
        latches.remove(latch);
        return latches.isEmpty() ? null : latches;
      });
    }
  }

  /** The process ended (committed): its waiters wake. */
  public void ended(UUID id) {
    if (waiting.isEmpty()) return;
    waiting.computeIfPresent(id, (k, latches) -> {
      latches.forEach(CountDownLatch::countDown);
      return latches;
    });
  }

  /** Processes may have ended elsewhere: re-read the waited-for ones soon. Never blocks. */
  public void recheckSoon() {
    if (waiting.isEmpty()) return;
    soon = true;
    LockSupport.unpark(rechecker);
  }

  private void recheckLoop() {
    long lastRead = System.nanoTime();
    while (!closed) {
      long due = lastRead + (soon ? MIN_GAP_NANOS : recheck.toNanos());
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait); // unparked early by recheckSoon and close
        continue;
      }
      soon = false;
      lastRead = System.nanoTime();
      recheckNow();
    }
  }

  /** One statement for every waited-for process; wakes the waiters of those that ended. */
  void recheckNow() {
    Set<UUID> ids = Set.copyOf(waiting.keySet());
    if (ids.isEmpty() || closed) return;
    try {
      db.read(c -> StartRows.ended(c, ids)).forEach(this::ended);
    } catch (RuntimeException e) {
      // The next re-read tries again; waiters also give up at their own deadline.
      log.debug("re-reading waited-for processes failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(rechecker);
  }
}
