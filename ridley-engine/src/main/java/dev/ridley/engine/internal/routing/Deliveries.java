package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.Notification;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.NotificationRows;
import dev.ridley.engine.internal.store.ProcessRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The webhook outbox's state changes, each in the caller's transaction: claims with a lease, and
 * the end of a delivery, journaled on its process ({@code notification.delivered}, {@code
 * notification.dead}) so the process's story says whether its receiver heard of it.
 */
public final class Deliveries {

  private final Transitions transitions;

  public Deliveries(Transitions transitions) {
    this.transitions = transitions;
  }

  public List<Notification> claim(Connection c, int max, Duration lease) throws SQLException {
    Instant now = transitions.now();
    return NotificationRows.claim(c, now, now.plus(lease), max);
  }

  /** Deletes the notification; false when it is no longer this claim's. */
  public boolean delivered(Connection c, Notification n) throws SQLException {
    // The process row first, as every transition locks it: retention cannot delete it meanwhile.
    boolean kept = ProcessRows.lock(c, n.processId()).isPresent();
    if (!NotificationRows.delivered(c, n.id(), n.attempt())) return false;
    if (kept) journal(c, n, JournalEvent.NOTIFICATION_DELIVERED, null);
    return true;
  }

  /** Due again in {@code retryIn}; given up (DEAD, journaled) when it is null. */
  public boolean failed(Connection c, Notification n, String error, Duration retryIn) throws SQLException {
    if (retryIn != null) {
      return NotificationRows.failed(c, n.id(), n.attempt(), error, transitions.now().plus(retryIn));
    }
    boolean kept = ProcessRows.lock(c, n.processId()).isPresent();
    if (!NotificationRows.failed(c, n.id(), n.attempt(), error, null)) return false;
    if (kept) journal(c, n, JournalEvent.NOTIFICATION_DEAD, error);
    return true;
  }

  private void journal(Connection c, Notification n, String type, String error) throws SQLException {
    ObjectNode data = Events.data().put("deliveryId", n.id().toString()).put("status", n.status().name())
        .put("url", n.url().toString()).put("attempt", n.attempt());
    if (error != null) data.put("error", error);
    JournalRows.append(c, List.of(Events.ofProcess(n.processId(), transitions.now(), type, data)));
  }
}
