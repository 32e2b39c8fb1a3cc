package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.WorkerSeen;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for the {@code stage_worker} table: who polled which stage, and when last. */
public final class WorkerRows {

  private WorkerRows() {}

  /** Records that {@code worker} polled the stages at {@code at}. */
  public static void polled(Connection c, String worker, Collection<String> stages, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into stage_worker (stage, worker, last_poll_at)"
                + " select s, ?, ? from unnest(?::text[]) as s"
                + " on conflict (stage, worker) do update set last_poll_at = excluded.last_poll_at"
                + " where stage_worker.last_poll_at < excluded.last_poll_at")) {
      ps.setString(1, worker);
      ps.setObject(2, ts(at));
      ps.setArray(3, c.createArrayOf("text", stages.toArray()));
      ps.executeUpdate();
    }
  }

  /** Workers that polled each of the stages at or after {@code since}, most recent first. */
  public static Map<String, List<WorkerSeen>> seenSince(
      Connection c, Collection<String> stages, Instant since) throws SQLException {
    Map<String, List<WorkerSeen>> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select stage, worker, last_poll_at from stage_worker"
                + " where stage = any(?) and last_poll_at >= ? order by last_poll_at desc, worker")) {
      ps.setArray(1, c.createArrayOf("text", stages.toArray()));
      ps.setObject(2, ts(since));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>())
              .add(new WorkerSeen(rs.getString(2), instant(rs, "last_poll_at")));
        }
      }
    }
    return out;
  }

  /** Forgets workers not seen since {@code before}, so the table does not grow with worker ids. */
  public static int forget(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from stage_worker where last_poll_at < ?")) {
      ps.setObject(1, ts(before));
      return ps.executeUpdate();
    }
  }
}
