package dev.ridley.engine;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a database connection the engine keeps for a long time (LISTEN/NOTIFY between nodes). It
 * should come from outside the request pool, so that waiting for notifications takes none of the
 * pool's connections; the engine closes it when done.
 */
@FunctionalInterface
public interface ConnectionSupplier {
  Connection open() throws SQLException;
}
