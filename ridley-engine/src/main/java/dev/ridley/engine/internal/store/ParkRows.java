package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for parked processes: the {@code park} and {@code auto_replays} columns of the process
 * table. A parked process's {@code last_seen_at} is when it parked, and {@code last_stage} the
 * stage that parked it.
 */
public final class ParkRows {

  private ParkRows() {}

  /** When the stage last parked a process that is still parked; null when none is. */
  public static Instant lastParkedAt(Connection c, String pipeline, String stage)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select max(last_seen_at) as at from process"
                + " where pipeline = ? and status = 'PARKED' and last_stage = ?")) {
      ps.setString(1, pipeline);
      ps.setString(2, stage);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? instant(rs, "at") : null;
      }
    }
  }

  /**
   * Parked processes due for an automatic replay at {@code now}, longest parked first: their
   * park has a {@code replayAfterMs}, the stage that parked them has parked nothing for that long,
   * and they have auto-replays left. Candidates only: the caller re-checks on the locked row.
   */
  public static List<UUID> dueForReplay(Connection c, String pipeline, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "with latest as (select last_stage, max(last_seen_at) as at from process"
                + "   where pipeline = ? and status = 'PARKED' group by last_stage)"
                + " select p.id from process p join latest l on l.last_stage = p.last_stage"
                + " where p.pipeline = ? and p.status = 'PARKED'"
                + " and p.park->>'replayAfterMs' is not null"
                + " and l.at + (p.park->>'replayAfterMs')::bigint * interval '1 millisecond' <= ?"
                + " and (p.park->>'maxReplays' is null or p.auto_replays < (p.park->>'maxReplays')::int)"
                + " order by p.last_seen_at limit ?")) {
      ps.setString(1, pipeline);
      ps.setString(2, pipeline);
      ps.setObject(3, ts(now));
      ps.setInt(4, limit);
      List<UUID> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
      return out;
    }
  }

  /** Automatic replays of the process since a person last replayed it. */
  public static int autoReplays(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select auto_replays from process where id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /**
   * Counts a replay: an automatic one adds to {@code auto_replays}; one by a person starts the
   * count again, so automation gets its full {@code maxReplays} after a person stepped in.
   */
  public static void countReplay(Connection c, UUID id, boolean automatic) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update process set auto_replays = case when ? then auto_replays + 1 else 0 end"
                + " where id = ?")) {
      ps.setBoolean(1, automatic);
      ps.setObject(2, id);
      ps.executeUpdate();
    }
  }

  /** Adds the count of automatic replays so far to the park record, for the person reading it. */
  public static void stampAutoReplays(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update process set park = park || jsonb_build_object('autoReplays', auto_replays)"
                + " where id = ? and park is not null")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    }
  }
}
