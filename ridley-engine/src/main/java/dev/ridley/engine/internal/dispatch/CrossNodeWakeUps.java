package dev.ridley.engine.internal.dispatch;

import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.LoopWatch;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import dev.ridley.engine.ConnectionSupplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries wake-ups between server nodes with PostgreSQL's LISTEN/NOTIFY, so a task queued on one
 * node reaches a worker long-polling another without waiting out the poll recheck.
 *
 * <p>Notifying is kept off the transitions: a NOTIFY inside a transaction serializes its commit
 * on the notification queue's lock. Instead, local wake-ups set a flag, and one thread sends at
 * most one {@code pg_notify} per {@link #MIN_GAP_NANOS} for all of them, in autocommit. Another
 * thread listens and turns other nodes' notifications into local wake-ups. Both hold connections
 * from the supplier the engine was built with (outside the pool in the server: borrowing from
 * it for every notification made transitions wait for connections under load). Losing the connection only means falling back to the poll recheck until it
 * is back: a wake-up is a hint, never the only way work is found.
 */
public final class CrossNodeWakeUps implements AutoCloseable {

  /** The channel all nodes notify and listen on. */
  public static final String CHANNEL = "ridley_tasks";
  private static final String TASKS = "t";
  private static final String ENDS = "e";

  /** The least time between two notifications this node sends. */
  static final long MIN_GAP_NANOS = 5_000_000;

  /** The first wait after a failure, doubling up to {@link #MAX_RETRY} while failures go on. */
  static final Duration RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final ConnectionSupplier connections;
  private final Runnable wakeLocal;
  private final Runnable endedElsewhere;
  private final String node = UUID.randomUUID().toString();
  private final Thread sender;
  private final Thread listener;
  private volatile boolean pending;
  private volatile boolean pendingTasks;
  private volatile boolean pendingEnds;
  private volatile boolean closed;
  private final LoopWatch senderWatch;
  private final LoopWatch listenerWatch;

  /**
   * @param wakeLocal wakes this node's pollers (without notifying again)
   */
  public CrossNodeWakeUps(ConnectionSupplier connections, Runnable wakeLocal, Clock clock) {
    this(connections, wakeLocal, () -> {}, clock);
  }

  /**
   * @param wakeLocal wakes this node's pollers (without notifying again)
   * @param endedElsewhere told when another node says processes ended there (waiters re-read)
   */
  public CrossNodeWakeUps(ConnectionSupplier connections, Runnable wakeLocal, Runnable endedElsewhere, Clock clock) {
    this.connections = connections;
    this.wakeLocal = wakeLocal;
    this.endedElsewhere = endedElsewhere;
    this.senderWatch = new LoopWatch("notifySender", clock);
    this.listenerWatch = new LoopWatch("notifyListener", clock);
    this.sender = Thread.ofPlatform().daemon().name("ridley-notify").start(this::sendLoop);
    this.listener = Thread.ofPlatform().daemon().name("ridley-listen").start(this::listenLoop);
  }

  /** Tells the other nodes, soon, that tasks may be claimable. Never blocks. */
  public void publish() {
    if (!pendingTasks) pendingTasks = true;
    signal();
  }

  /**
   * Tells the other nodes, soon, that processes ended here, so their callers waiting for an end
   * re-read. Shares the notification with {@link #publish} when both come in one gap. Never blocks.
   */
  public void publishEnded() {
    if (!pendingEnds) pendingEnds = true;
    signal();
  }

  private void signal() {
    if (!pending) {
      pending = true;
      LockSupport.unpark(sender);
    }
  }

  private void sendLoop() {
    long last = 0;
    Connection c = null;
    while (!closed) {
      if (!pending) {
        LockSupport.park(this);
        continue;
      }
      long wait = last + MIN_GAP_NANOS - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue;
      }
      pending = false;
      // What to say: t (tasks may be claimable), e (processes ended), or both.
      String kinds = (pendingTasks ? TASKS : "") + (pendingEnds ? ENDS : "");
      pendingTasks = false;
      pendingEnds = false;
      if (kinds.isEmpty()) continue;
      last = System.nanoTime();
      try {
        if (c == null) c = ownConnection();
        try (Statement s = c.createStatement()) {
          s.execute("select pg_notify('" + CHANNEL + "', '" + kinds + ":" + node + "')");
        }
        senderWatch.succeeded();
      } catch (Throwable e) {
        if (closed) break;
        // Whatever it was (the database away, an Error): the poll recheck covers the lost hint.
        senderWatch.failed(e);
        closeQuietly(c);
        c = null;
        pending = true; // send it once the database answers again
        if (kinds.contains(TASKS)) pendingTasks = true;
        if (kinds.contains(ENDS)) pendingEnds = true;
        LockSupport.parkNanos(this, senderWatch.backoff(RETRY, MAX_RETRY).toNanos());
      }
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Throwable ignored) {
      // going away either way
    }
  }

  private void listenLoop() {
    while (!closed) {
      try (Connection c = ownConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("listen " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        wakeLocal.run(); // anything sent while we were not listening
        endedElsewhere.run();
        listenerWatch.succeeded();
        while (!closed) {
          PGNotification[] got = pg.getNotifications(500);
          listenerWatch.succeeded();
          if (got == null) continue;
          boolean tasks = false;
          boolean ends = false;
          for (PGNotification n : got) {
            String said = n.getParameter();
            int colon = said.indexOf(':');
            if (colon < 0) { // a node of an earlier version says only its id: tasks
              tasks |= !node.equals(said);
              continue;
            }
            if (node.equals(said.substring(colon + 1))) continue;
            String kinds = said.substring(0, colon);
            tasks |= kinds.contains(TASKS);
            ends |= kinds.contains(ENDS);
          }
          if (tasks) wakeLocal.run();
          if (ends) endedElsewhere.run();
        }
      } catch (Throwable e) {
        if (closed) return;
        listenerWatch.failed(e); // until it listens again, the poll recheck finds other nodes' work
        LockSupport.parkNanos(this, listenerWatch.backoff(RETRY, MAX_RETRY).toNanos());
      }
    }
  }

  private Connection ownConnection() throws SQLException {
    return connections.open();
  }

  /** The sender's and the listener's loops. */
  public List<LoopHealth> health() {
    return List.of(senderWatch.health(), listenerWatch.health());
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(sender);
    try {
      sender.join(2_000);
      listener.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
