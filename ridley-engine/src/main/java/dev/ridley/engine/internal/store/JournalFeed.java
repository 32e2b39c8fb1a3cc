package dev.ridley.engine.internal.store;

import dev.ridley.engine.EndedProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the journal forward by sequence number, for followers such as the Eliot log. */
public final class JournalFeed {

  private JournalFeed() {}

  /** The highest sequence number written so far, or 0 for an empty journal. */
  public static long head(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select coalesce(max(seq) + " + JournalRows.MORE + ", 0) from journal");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Processes that ended after {@code seq} and before {@code settled}, oldest first. A transaction
   * may commit a lower sequence number after a higher one was read; reading only events older than
   * a settling delay keeps a follower from skipping it.
   */
  public static List<EndedProcess> endedAfter(Connection c, long seq, java.time.Instant settled, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select seq, process_id from journal_event where row_seq > ? - " + (JournalRows.MORE + 1)
                + " and seq > ? and type in ('process.succeeded',"
                + " 'process.failed', 'process.lost', 'process.parked', 'process.cancelled')"
                + " and at < ? order by seq limit ?")) {
      ps.setLong(1, seq);
      ps.setLong(2, seq);
      ps.setObject(3, Sql.ts(settled));
      ps.setInt(4, limit);
      List<EndedProcess> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new EndedProcess(rs.getLong(1), rs.getObject(2, UUID.class)));
        }
      }
      return out;
    }
  }
}
