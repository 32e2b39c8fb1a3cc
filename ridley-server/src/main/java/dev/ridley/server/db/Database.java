package dev.ridley.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.server.config.ConfigException;
import dev.ridley.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PostgreSQL: the one at {@code RIDLEY_DB_URL}, or, without it, an embedded one
 * whose data lives under {@code RIDLEY_DATA_DIR} and survives restarts.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;

  private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  public static Database open(ServerConfig config) {
    if (config.dbUrl() != null) {
      if (!config.dbUrl().startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            "RIDLEY_DB_URL=" + config.dbUrl() + " is not a PostgreSQL JDBC URL;"
                + " write jdbc:postgresql://host:5432/dbname, or unset it for the embedded database");
      }
      return new Database(null, pool(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize()));
    }
    EmbeddedPostgres pg = startEmbedded(config.dataDir());
    String url = pg.getJdbcUrl("postgres", "postgres");
    return new Database(pg, pool(url, "postgres", null, config.dbPoolSize()));
  }

  private static EmbeddedPostgres startEmbedded(Path dataDir) {
    Path pgData = dataDir.toAbsolutePath().resolve("postgres");
    try {
      Files.createDirectories(pgData);
      log.info("starting embedded PostgreSQL with data in {}", pgData);
      return EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(dataDir.toAbsolutePath().resolve("runtime").toFile())
          .setServerConfig("max_connections", "200")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL in " + pgData + " (RIDLEY_DATA_DIR): " + e.getMessage(), e);
    }
  }

  private static HikariDataSource pool(String url, String user, String password, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (user != null) hc.setUsername(user);
    if (password != null) hc.setPassword(password);
    hc.setMaximumPoolSize(size);
    hc.setPoolName("ridley");
    // Start even when the database is briefly down; /health reports it until it is back.
    hc.setInitializationFailTimeout(-1);
    hc.setConnectionTimeout(5_000);
    hc.setValidationTimeout(2_000);
    return new HikariDataSource(hc);
  }

  public DataSource dataSource() {
    return pool;
  }

  /**
   * A connection of its own, outside the pool, for the engine's long-held LISTEN/NOTIFY
   * connections: borrowing them from the pool would take two of its connections for good.
   */
  public Connection openUnpooled() throws SQLException {
    Properties p = new Properties();
    if (pool.getUsername() != null) p.setProperty("user", pool.getUsername());
    if (pool.getPassword() != null) p.setProperty("password", pool.getPassword());
    return DriverManager.getConnection(pool.getJdbcUrl(), p);
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
