package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.ts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Deletes ended processes with their tasks and journal rows: the one statement retention runs. */
public final class RetentionRows {

  /**
   * One statement, so one round trip and one transaction per batch. The processes are chosen
   * oldest end first on the partial index {@code process_ended} and locked with {@code SKIP
   * LOCKED}: two nodes purging at once take different rows, and a process that a replay holds (or
   * just made RUNNING again: the lock re-checks the conditions) is left alone. Tasks and journal
   * rows of an ended process are never written again, so their deletion waits for nobody.
   */
  private static final String DELETE_BATCH =
      """
      with doomed as materialized (
          select id from process
          where pipeline = ? and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST') and finished_at < ?
          order by finished_at
          limit ?
          for update skip locked),
        gone_tasks as (delete from task where process_id in (select id from doomed)),
        gone_journal as (delete from journal where process_id in (select id from doomed))
      delete from process where id in (select id from doomed)
      """;

  private RetentionRows() {}

  /**
   * Deletes up to {@code limit} processes of {@code pipeline} that ended before {@code endedBefore},
   * with their tasks and journal rows; returns how many processes it deleted.
   */
  public static int deleteEnded(Connection c, String pipeline, Instant endedBefore, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DELETE_BATCH)) {
      ps.setString(1, pipeline);
      ps.setObject(2, ts(endedBefore));
      ps.setInt(3, limit);
      return ps.executeUpdate();
    }
  }
}
