package dev.ridley.server.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The one query behind {@link Throughput}: finished attempts per pipeline, minute and ending. */
final class ThroughputRows {

  static final int SUCCEEDED = 0;
  static final int FAILED = 1;
  static final int TIMED_OUT = 2;

  private ThroughputRows() {}

  /** Counts by pipeline, then by the minute (UTC) the attempt finished in, then by ending. */
  static Map<String, Map<Instant, long[]>> perMinute(Connection c, Instant from, Instant to)
      throws SQLException {
    Map<String, Map<Instant, long[]>> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select pipeline, date_trunc('minute', finished_at at time zone 'UTC') as minute,"
                + " status, count(*) from task where finished_at >= ? and finished_at < ? and"
                + " status in ('SUCCEEDED', 'FAILED', 'TIMED_OUT') group by 1, 2, 3")) {
      ps.setObject(1, from.atOffset(ZoneOffset.UTC));
      ps.setObject(2, to.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant minute = rs.getObject("minute", LocalDateTime.class).toInstant(ZoneOffset.UTC);
          long[] n =
              out.computeIfAbsent(rs.getString("pipeline"), k -> new HashMap<>())
                  .computeIfAbsent(minute, k -> new long[3]);
          int slot =
              switch (rs.getString("status")) {
                case "SUCCEEDED" -> SUCCEEDED;
                case "FAILED" -> FAILED;
                default -> TIMED_OUT;
              };
          n[slot] += rs.getLong(4);
        }
      }
    }
    return out;
  }
}
