package dev.ridley.engine.internal.store;

import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs units of work on the database: one transaction each, rolled back on any exception. */
public final class Db {

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  public Db(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs {@code work} in one transaction: all of it commits, or none of it.
   *
   * @throws CommitOutcomeUnknownException when the connection failed during the commit itself, so
   *     the work may have committed or not: the caller must find out before it answers
   * @throws DatabaseUnavailableException when the work failed before the commit (nothing committed)
   */
  public <T> T tx(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        try {
          c.commit();
        } catch (SQLException e) {
          if (ambiguous(e)) {
            throw new CommitOutcomeUnknownException(
                "the outcome is unknown: the database connection failed while the transaction committed,"
                    + " so it may or may not have taken effect", e);
          }
          throw e;
        }
        return result;
      } catch (Throwable t) {
        rollbackQuietly(c, t);
        throw t;
      }
      // No setAutoCommit(true) here: the pool restores it on return, and doing it in a finally
      // could replace the exception that failed the transaction with one from a broken connection.
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("database error: " + e.getMessage(), e);
    }
  }

  /** Runs read-only {@code work} outside an explicit transaction. */
  public <T> T read(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("database error: " + e.getMessage(), e);
    }
  }

  /**
   * Lets the current transaction commit without waiting for its WAL to reach disk. Only for writes
   * whose loss in a crash of PostgreSQL (the last few hundred milliseconds of them, until the WAL
   * writer or any later durable commit flushes them) leads to work being handed out again, which
   * the duplicate rules make harmless: a claim, a relay's lease or mark. Never for a start or a
   * report, which are answered as kept.
   */
  public static void relaxCommit(Connection c) throws SQLException {
    try (java.sql.PreparedStatement ps = c.prepareStatement("set local synchronous_commit = off")) {
      ps.execute();
    }
  }

  /**
   * A short wait before asking the database again after a commit whose outcome is unknown: 100 ms
   * times the number of tries so far.
   */
  public static void backOff(int tries) {
    try {
      Thread.sleep(100L * tries);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether a failed commit leaves its outcome unknown: the connection broke (class 08, an I/O
   * error without a state) or the server went away under it (57, operator intervention such as
   * {@code pg_terminate_backend} or a shutdown; 58, system error; XX, internal error). A refusal by
   * the server at commit (a serialization failure, a deferred constraint) rolled back for sure.
   */
  static boolean ambiguous(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57") || state.startsWith("58")
        || state.startsWith("XX");
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
