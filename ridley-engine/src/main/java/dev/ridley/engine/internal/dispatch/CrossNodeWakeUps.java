package dev.ridley.engine.internal.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import dev.ridley.engine.ConnectionSupplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  /** The least time between two notifications this node sends. */
  static final long MIN_GAP_NANOS = 5_000_000;

  private static final Logger log = LoggerFactory.getLogger(CrossNodeWakeUps.class);

  private final ConnectionSupplier connections;
  private final Runnable wakeLocal;
  private final String node = UUID.randomUUID().toString();
  private final Thread sender;
  private final Thread listener;
  private volatile boolean pending;
  private volatile boolean closed;

  /**
   * @param wakeLocal wakes this node's pollers (without notifying again)
   */
  public CrossNodeWakeUps(ConnectionSupplier connections, Runnable wakeLocal) {
    this.connections = connections;
    this.wakeLocal = wakeLocal;
    this.sender = Thread.ofPlatform().daemon().name("ridley-notify").start(this::sendLoop);
    this.listener = Thread.ofPlatform().daemon().name("ridley-listen").start(this::listenLoop);
  }

  /** Tells the other nodes, soon, that tasks may be claimable. Never blocks. */
  public void publish() {
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
      last = System.nanoTime();
      try {
        if (c == null) c = ownConnection();
        try (Statement s = c.createStatement()) {
          s.execute("select pg_notify('" + CHANNEL + "', '" + node + "')");
        }
      } catch (SQLException | RuntimeException e) {
        log.debug("could not notify other nodes: {}", e.getMessage());
        closeQuietly(c);
        c = null;
        LockSupport.parkNanos(this, 1_000_000_000L); // the database is away: the recheck covers it
      }
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
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
        while (!closed) {
          PGNotification[] got = pg.getNotifications(500);
          if (got == null) continue;
          for (PGNotification n : got) {
            if (!node.equals(n.getParameter())) {
              wakeLocal.run();
              break;
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) return;
        log.debug("listening for other nodes' wake-ups failed, retrying in 1 s: {}", e.getMessage());
        LockSupport.parkNanos(this, 1_000_000_000L);
      }
    }
  }

  private Connection ownConnection() throws SQLException {
    return connections.open();
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
