package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.StageCounts;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Aggregates for the per-stage view of a pipeline. */
public final class StatsRows {

  /**
   * A pipeline's counts per stage in one statement, one round trip, one snapshot: {@code (stage,
   * status, n, min)}, status a task state (QUEUED, RUNNING) or an ended process's status, min the
   * oldest visible queued task. Parameters: now, then the pipeline four times. Queued and running
   * tasks come from their partial indexes (task_ready, task_running), which carry the pipeline
   * (V13), so they are index-only scans whose size is the backlog, not the history; ended
   * processes from the counts kept as they change (V10), not from counting them.
   */
  static final String COUNTS =
      "select stage, 'QUEUED' as status, count(*) as n, min(visible_at) filter (where visible_at <= ?) as min"
          + " from task where status = 'QUEUED' and pipeline = ? group by stage"
          + " union all select stage, 'RUNNING', count(*), null from task where status = 'RUNNING' and pipeline = ?"
          + " group by stage"
          + " union all select stage, status, n, null from (" + StageCountRows.ENDED + ") ended";

  private StatsRows() {}

  /** Counts per stage, in the pipeline's stage order. */
  public static Map<String, StageCounts> stageCounts(Connection c, Pipeline pipeline, Instant now)
      throws SQLException {
    Map<String, long[]> n = new HashMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    for (Stage s : pipeline.stages()) {
      n.put(s.name(), new long[7]);
    }
    try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
      ps.setObject(1, ts(now));
      for (int i = 2; i <= 5; i++) ps.setString(i, pipeline.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] row = n.computeIfAbsent(rs.getString(1), k -> new long[7]);
          row[slot(rs.getString(2))] += rs.getLong(3);
          Instant o = instant(rs, "min");
          if (o != null) oldest.put(rs.getString(1), o);
        }
      }
    }
    Map<String, StageCounts> out = new LinkedHashMap<>();
    for (Stage s : pipeline.stages()) {
      long[] r = n.get(s.name());
      Instant o = oldest.get(s.name());
      out.put(
          s.name(),
          new StageCounts(s.name(), r[0], r[1], r[2], r[3], r[4], r[5],
              r[6], o == null ? null : Duration.between(o, now)));
    }
    return out;
  }

  /** Where a task state or an ended process's status goes in a stage's row of counts. */
  private static int slot(String status) {
    return switch (status) {
      case "QUEUED" -> 0;
      case "RUNNING" -> 1;
      case "SUCCEEDED" -> 2;
      case "FAILED" -> 3;
      case "PARKED" -> 4;
      case "LOST" -> 5;
      default -> 6;
    };
  }
}
