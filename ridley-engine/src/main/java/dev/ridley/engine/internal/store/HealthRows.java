package dev.ridley.engine.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The database's health as the engine needs it: can it write? */
public final class HealthRows {

  private HealthRows() {}

  /**
   * Checks, in the caller's transaction, that the database takes writes: the transaction must not
   * be read-only (a standby, {@code default_transaction_read_only}, which managed databases set
   * when their disk fills up), and it takes a transaction id, so its commit writes a commit record
   * to the WAL and, with synchronous commit, waits for it to be on disk. No table is touched.
   *
   * @return why it cannot write, or null when it can (once the caller's commit succeeds)
   */
  public static String writeProblem(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("set local statement_timeout = 2000");
      try (ResultSet rs = s.executeQuery(
          "select current_setting('transaction_read_only'), pg_is_in_recovery(), txid_current()")) {
        rs.next();
        if (rs.getBoolean(2)) return "the database is a standby in recovery: it takes no writes";
        if ("on".equals(rs.getString(1))) return "the database is read-only (transaction_read_only = on)";
        return null;
      }
    }
  }
}
