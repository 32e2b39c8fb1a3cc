package dev.ridley.engine.internal.store;

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

  /** Runs {@code work} in one transaction: all of it commits, or none of it. */
  public <T> T tx(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
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

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
