package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.Notification;
import dev.ridley.engine.NotificationCounts;
import dev.ridley.engine.ProcessStatus;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for the {@code notification} outbox: rows written by the transaction that ends a process,
 * claimed by the delivery loop with a lease, deleted once delivered. A claim bumps {@code
 * attempts}; the later statements check it, so a deliverer whose lease ran out (and whose row was
 * claimed again) changes nothing.
 */
public final class NotificationRows {

  private NotificationRows() {}

  /** Writes one pending notification per entry, due at once. */
  public static void insert(Connection c, List<Notification> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "insert into notification (id, process_id, pipeline, status, url, created_at, due_at)"
            + " values (?, ?, ?, ?, ?, ?, ?)")) {
      for (Notification n : rows) {
        ps.setObject(1, n.id());
        ps.setObject(2, n.processId());
        ps.setString(3, n.pipeline());
        ps.setString(4, n.status().name());
        ps.setString(5, n.url().toString());
        ps.setObject(6, ts(n.createdAt()));
        ps.setObject(7, ts(n.createdAt()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Claims up to {@code max} pending notifications due at {@code now}, oldest due first, skipping
   * those another node holds; each is leased until {@code leaseUntil} (then due again).
   */
  public static List<Notification> claim(Connection c, Instant now, Instant leaseUntil, int max) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "update notification n set attempts = n.attempts + 1, due_at = ?"
            + " where n.id in (select id from notification where state = 'PENDING' and due_at <= ?"
            + "   order by due_at limit ? for update skip locked)"
            + " returning n.id, n.process_id, n.pipeline, n.status, n.url, n.attempts, n.created_at")) {
      ps.setObject(1, ts(leaseUntil));
      ps.setObject(2, ts(now));
      ps.setInt(3, max);
      List<Notification> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Notification(rs.getObject("id", UUID.class), rs.getObject("process_id", UUID.class),
              rs.getString("pipeline"), ProcessStatus.valueOf(rs.getString("status")), URI.create(rs.getString("url")),
              rs.getInt("attempts"), instant(rs, "created_at")));
        }
      }
      return out;
    }
  }

  /** Deletes a delivered notification; false when its claim was no longer this one's. */
  public static boolean delivered(Connection c, UUID id, int attempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from notification where id = ? and attempts = ?")) {
      ps.setObject(1, id);
      ps.setInt(2, attempt);
      return ps.executeUpdate() == 1;
    }
  }

  /** Due again at {@code dueAt}, or DEAD (never again) when {@code dueAt} is null. */
  public static boolean failed(Connection c, UUID id, int attempt, String error, Instant dueAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "update notification set last_error = ?, due_at = coalesce(?::timestamptz, due_at),"
            + " state = case when ? then 'DEAD' else state end"
            + " where id = ? and attempts = ? and state = 'PENDING'")) {
      ps.setString(1, error);
      ps.setObject(2, ts(dueAt));
      ps.setBoolean(3, dueAt == null);
      ps.setObject(4, id);
      ps.setInt(5, attempt);
      return ps.executeUpdate() == 1;
    }
  }

  /** How many notifications are pending and how many dead. */
  public static NotificationCounts counts(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select count(*) filter (where state = 'PENDING') as pending,"
            + " count(*) filter (where state = 'DEAD') as dead from notification");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new NotificationCounts(rs.getLong("pending"), rs.getLong("dead"));
    }
  }
}
