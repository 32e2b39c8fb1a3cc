package dev.ridley.engine.internal.store;

import dev.ridley.engine.MinuteCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finished attempts per pipeline, minute and ending: the dashboard's throughput charts. */
public final class ThroughputRows {

  private ThroughputRows() {}

  private record Key(String pipeline, Instant minute) {}

  /** Counts of attempts that finished in {@code [from, to)}, by pipeline and minute (UTC). */
  public static List<MinuteCounts> perMinute(Connection c, Instant from, Instant to) throws SQLException {
    Map<Key, long[]> counts = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select pipeline, date_trunc('minute', finished_at at time zone 'UTC') as minute,"
                + " status, count(*) from task where finished_at >= ? and finished_at < ? and"
                + " status in ('SUCCEEDED', 'FAILED', 'TIMED_OUT') group by 1, 2, 3 order by 1, 2")) {
      ps.setObject(1, from.atOffset(ZoneOffset.UTC));
      ps.setObject(2, to.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant minute = rs.getObject("minute", LocalDateTime.class).toInstant(ZoneOffset.UTC);
          long[] n = counts.computeIfAbsent(new Key(rs.getString("pipeline"), minute), k -> new long[3]);
          int slot =
              switch (rs.getString("status")) {
                case "SUCCEEDED" -> 0;
                case "FAILED" -> 1;
                default -> 2;
              };
          n[slot] += rs.getLong(4);
        }
      }
    }
    List<MinuteCounts> out = new ArrayList<>(counts.size());
    counts.forEach((k, n) -> out.add(new MinuteCounts(k.pipeline(), k.minute(), n[0], n[1], n[2])));
    return out;
  }
}
