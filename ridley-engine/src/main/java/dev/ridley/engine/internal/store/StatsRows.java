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

  private StatsRows() {}

  /** Counts per stage, in the pipeline's stage order. */
  public static Map<String, StageCounts> stageCounts(Connection c, Pipeline pipeline, Instant now)
      throws SQLException {
    Map<String, long[]> n = new HashMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    for (Stage s : pipeline.stages()) {
      n.put(s.name(), new long[7]);
    }
    // Queued and running tasks, each from its partial index (task_ready, task_running): their
    // size is the backlog, not the history, so this stays cheap with millions of ended tasks.
    try (PreparedStatement ps =
        c.prepareStatement(
            "select stage, 0 as slot, count(*) as n, min(visible_at) filter (where visible_at <= ?) as min"
                + " from task where status = 'QUEUED' and pipeline = ? group by stage"
                + " union all select stage, 1, count(*), null from task where status = 'RUNNING' and pipeline = ?"
                + " group by stage")) {
      ps.setObject(1, ts(now));
      ps.setString(2, pipeline.name());
      ps.setString(3, pipeline.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] row = n.computeIfAbsent(rs.getString(1), k -> new long[7]);
          row[rs.getInt(2)] = rs.getLong(3);
          Instant o = instant(rs, "min");
          if (o != null) oldest.put(rs.getString(1), o);
        }
      }
    }
    // Ended processes from the counts kept as they change (migration V10), not by counting them.
    for (StageCountRows.Count count : StageCountRows.of(c, pipeline.name())) {
      long[] row = n.computeIfAbsent(count.stage(), k -> new long[7]);
      int slot =
          switch (count.status()) {
            case "SUCCEEDED" -> 2;
            case "FAILED" -> 3;
            case "PARKED" -> 4;
            case "LOST" -> 5;
            default -> 6;
          };
      row[slot] += count.n();
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
}
