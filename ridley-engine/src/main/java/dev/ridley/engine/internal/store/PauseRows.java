package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** SQL for the {@code stage_pause} table: which stages are paused, and since when resumed. */
public final class PauseRows {

  /** One stage's pause state; {@code changedAt} is when it was paused, or resumed. */
  public record Row(String pipeline, String stage, boolean paused, Instant changedAt) {}

  private PauseRows() {}

  public static List<Row> all(Connection c) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("select pipeline, stage, paused, changed_at from stage_pause");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3), instant(rs, "changed_at")));
      }
    }
    return out;
  }

  /**
   * Pauses or resumes the stages. A stage already in that state keeps its {@code changed_at}, so
   * pausing twice does not move the resume time of the enqueueToPoll timer.
   */
  public static void set(
      Connection c, String pipeline, Collection<String> stages, boolean paused, Instant now, String by)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into stage_pause (pipeline, stage, paused, changed_at, changed_by)"
                + " select ?, s, ?, ?, ? from unnest(?::text[]) as s"
                + " on conflict (pipeline, stage) do update"
                + " set paused = excluded.paused, changed_at = excluded.changed_at, changed_by = excluded.changed_by"
                + " where stage_pause.paused <> excluded.paused")) {
      ps.setString(1, pipeline);
      ps.setBoolean(2, paused);
      ps.setObject(3, ts(now));
      ps.setString(4, by);
      ps.setArray(5, c.createArrayOf("text", stages.toArray()));
      ps.executeUpdate();
    }
  }
}
