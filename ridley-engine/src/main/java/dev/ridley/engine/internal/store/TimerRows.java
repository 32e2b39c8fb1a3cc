package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.internal.timer.TimerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Candidate queries for the sweeper: tasks and processes whose timers may have expired. */
public final class TimerRows {

  private TimerRows() {}

  /**
   * Tasks of one stage whose {@code timer} started before {@code cutoff} (now minus the stage's
   * limit). Each query walks a partial index of the stage's queued or running tasks.
   */
  public static List<UUID> dueTasks(
      Connection c, String pipeline, String stage, TimerKind timer, Instant cutoff, int limit)
      throws SQLException {
    String condition =
        switch (timer) {
          case HEARTBEAT -> "status = 'RUNNING' and heartbeat_at < ?";
          case POLL_TO_END -> "status = 'RUNNING' and polled_at < ?";
          case ENQUEUE_TO_POLL -> "status = 'QUEUED' and visible_at < ?";
          case ENQUEUE_TO_END ->
              "status in ('QUEUED', 'RUNNING') and stage_started_at < ?";
          case PROCESS -> throw new IllegalArgumentException("not a task timer");
        };
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id from task where stage = ? and pipeline = ? and " + condition + " limit ?")) {
      ps.setString(1, stage);
      ps.setString(2, pipeline);
      ps.setObject(3, ts(cutoff));
      ps.setInt(4, limit);
      return ids(ps);
    }
  }

  /** Running processes past their start-to-end deadline. */
  public static List<UUID> expiredProcesses(Connection c, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id from process where finished_at is null and status = 'RUNNING'"
                + " and deadline_at < ? limit ?")) {
      ps.setObject(1, ts(now));
      ps.setInt(2, limit);
      return ids(ps);
    }
  }

  private static List<UUID> ids(PreparedStatement ps) throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getObject(1, UUID.class));
      }
    }
    return out;
  }
}
