package dev.ridley.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The size of the hot tables and their dead rows, as PostgreSQL reports them: whether vacuum and
 * retention keep the database bounded under churn. Dead tuples come from the statistics collector,
 * so they lag by up to a second or so.
 */
record TableStats(String table, long totalBytes, long heapBytes, long indexBytes, long liveRows, long deadRows) {

  static final List<String> HOT_TABLES = List.of("process", "task", "journal");

  static List<TableStats> sample(Rig rig) {
    return HOT_TABLES.stream().map(t -> of(rig, t)).toList();
  }

  private static TableStats of(Rig rig, String table) {
    String sql = "select pg_total_relation_size('" + table + "'), pg_relation_size('" + table + "'),"
        + " pg_indexes_size('" + table + "'),"
        + " coalesce((select n_live_tup from pg_stat_user_tables where relname = '" + table + "'), 0),"
        + " coalesce((select n_dead_tup from pg_stat_user_tables where relname = '" + table + "'), 0)";
    try (Connection c = rig.pool().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new TableStats(table, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
    } catch (SQLException e) {
      throw new BenchException("could not read the size of " + table + ": " + e.getMessage(), e);
    }
  }

  /** The column names of {@link #columns()}, for a header line. */
  static String header() {
    StringBuilder b = new StringBuilder();
    for (String t : HOT_TABLES) {
      b.append(' ').append(t).append("_mb(heap+idx) ").append(t).append("_live ").append(t).append("_dead");
    }
    return b.toString().trim();
  }

  /** Sizes in MB with one decimal: {@code 12.3(8.1+4.2) 1000 25}. */
  String columns() {
    return String.format("%s(%s+%s) %d %d", mb(totalBytes), mb(heapBytes), mb(indexBytes), liveRows, deadRows);
  }

  static String mb(long bytes) {
    return String.format("%.1f", bytes / 1048576.0);
  }
}
