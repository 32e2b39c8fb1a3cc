package dev.ridley.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the counts of ended processes per pipeline, last stage and status: {@code stage_count}
 * (totals) and {@code stage_count_delta} (changes written by the process table's triggers, migration
 * V10, not folded into the totals yet).
 */
public final class StageCountRows {

  /** The most delta rows one fold takes, so a fold after a long pause stays a short transaction. */
  static final int FOLD_BATCH = 10_000;

  private StageCountRows() {}

  /** One count: processes of the pipeline whose last stage is {@code stage}, in {@code status}. */
  public record Count(String stage, String status, long n) {}

  /**
   * A query of {@code (stage, status, n)}: the counts of a pipeline's ended processes, totals and
   * unfolded changes added in one snapshot; two parameters, both the pipeline. Other reads put it
   * in their own statement, so a reader pays one round trip for all it shows.
   */
  static final String ENDED =
      "select stage, status, sum(n) as n from ("
          + " select stage, status, n from stage_count where pipeline = ?"
          + " union all select stage, status, n from stage_count_delta where pipeline = ?) counts"
          + " group by stage, status";

  /** The counts of a pipeline's ended processes, totals and unfolded changes added in one snapshot. */
  public static List<Count> of(Connection c, String pipeline) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ENDED)) {
      ps.setString(1, pipeline);
      ps.setString(2, pipeline);
      List<Count> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Count(rs.getString(1), rs.getString(2), rs.getLong(3)));
      }
      return out;
    }
  }

  /**
   * Folds up to {@link #FOLD_BATCH} changes into the totals, skipping the ones another node is
   * folding; the changes and the totals move together, so readers see the same sums before and after.
   *
   * @return the number of changes folded
   */
  public static int fold(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "with taken as (delete from stage_count_delta where ctid in"
            + " (select ctid from stage_count_delta limit " + FOLD_BATCH + " for update skip locked)"
            + " returning pipeline, stage, status, n),"
            + " summed as (select pipeline, stage, status, sum(n) as n, count(*) as rows from taken"
            + " group by pipeline, stage, status),"
            + " folded as (insert into stage_count (pipeline, stage, status, n)"
            + " select pipeline, stage, status, n from summed"
            + " on conflict (pipeline, stage, status) do update set n = stage_count.n + excluded.n)"
            + " select coalesce(sum(rows), 0) from summed")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
