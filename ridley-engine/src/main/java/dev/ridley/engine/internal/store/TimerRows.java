package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.internal.timer.TimerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Due work for the sweeper: tasks and processes whose timers may have expired, claimed in due
 * order (oldest first) with {@code FOR UPDATE SKIP LOCKED} on their process rows, so sweepers on
 * several nodes take disjoint batches instead of queueing on each other's locks.
 */
public final class TimerRows {

  private TimerRows() {}

  /**
   * One claimed candidate: its id and, with the id, where the next batch starts (keyset order), so
   * a candidate the locked re-check does not fire is not claimed again in the same sweep.
   */
  public record Due(UUID id, Instant since) {}

  /**
   * Claims up to {@code limit} tasks of one stage whose {@code timer} started before {@code
   * cutoff} (now minus the stage's limit), oldest first, after {@code after} (null: from the
   * start). Their process rows are locked for the caller's transaction; rows another transaction
   * holds (another node's sweep, a report in flight) are skipped, not waited for: they are that
   * transaction's to change, and a timer still due is found again by the next sweep.
   */
  public static List<Due> claimDueTasks(
      Connection c, String pipeline, String stage, TimerKind timer, Instant cutoff, Due after, int limit)
      throws SQLException {
    String column = column(timer);
    String status = status(timer);
    String sql = "select t.id, t." + column + " from task t join process p on p.id = t.process_id"
        + " where t.stage = ? and t.pipeline = ? and " + status + " and t." + column + " < ?"
        + (after == null ? "" : " and (t." + column + ", t.id) > (?, ?)")
        + " order by t." + column + ", t.id limit ? for update of p skip locked";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, stage);
      ps.setString(i++, pipeline);
      ps.setObject(i++, ts(cutoff));
      if (after != null) {
        ps.setObject(i++, ts(after.since()));
        ps.setObject(i++, after.id());
      }
      ps.setInt(i, limit);
      return due(ps);
    }
  }

  /**
   * When the oldest attempt of one stage that {@code timer} watches started its clock (the
   * earliest {@code heartbeat_at} of the running tasks, say), locking nothing; null when the stage
   * has none. Every attempt that starts later starts its clock later, so the stage's next firing
   * of {@code timer} is no sooner than this plus the stage's limit.
   */
  public static Instant earliestSince(Connection c, String pipeline, String stage, TimerKind timer)
      throws SQLException {
    String sql = "select min(t." + column(timer) + ") from task t where t.stage = ? and t.pipeline = ? and "
        + status(timer);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, stage);
      ps.setString(2, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
      }
    }
  }

  private static String column(TimerKind timer) {
    return switch (timer) {
      case HEARTBEAT -> "heartbeat_at";
      case POLL_TO_END -> "polled_at";
      case ENQUEUE_TO_POLL -> "visible_at";
      case ENQUEUE_TO_END -> "stage_started_at";
      case PROCESS -> throw new IllegalArgumentException("not a task timer");
    };
  }

  private static String status(TimerKind timer) {
    return switch (timer) {
      case HEARTBEAT, POLL_TO_END -> "t.status = 'RUNNING'";
      case ENQUEUE_TO_POLL -> "t.status = 'QUEUED'";
      default -> "t.status in ('QUEUED', 'RUNNING')";
    };
  }

  /**
   * Claims up to {@code limit} running processes past their start-to-end deadline, oldest
   * deadline first, after {@code after}; locked like {@link #claimDueTasks}, skipping locked rows.
   */
  public static List<Due> claimExpiredProcesses(Connection c, Instant now, Due after, int limit)
      throws SQLException {
    String sql = "select id, deadline_at from process where finished_at is null and status = 'RUNNING'"
        + " and deadline_at < ?"
        + (after == null ? "" : " and (deadline_at, id) > (?, ?)")
        + " order by deadline_at, id limit ? for update skip locked";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, ts(now));
      if (after != null) {
        ps.setObject(i++, ts(after.since()));
        ps.setObject(i++, after.id());
      }
      ps.setInt(i, limit);
      return due(ps);
    }
  }

  private static List<Due> due(PreparedStatement ps) throws SQLException {
    List<Due> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant()));
      }
    }
    return out;
  }
}
