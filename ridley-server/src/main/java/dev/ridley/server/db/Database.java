package dev.ridley.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ridley.server.config.ConfigException;
import dev.ridley.server.config.ServerConfig;
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

  private final EmbeddedDatabase embedded;
  private final HikariDataSource pool;

  private Database(EmbeddedDatabase embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  public static Database open(ServerConfig config) {
    return open(config, null);
  }

  /** @param metrics where the connection pool reports its metrics; null for nowhere */
  public static Database open(ServerConfig config, MeterRegistry metrics) {
    if (config.dbUrl() != null) {
      if (!config.dbUrl().startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            "RIDLEY_DB_URL=" + config.dbUrl() + " is not a PostgreSQL JDBC URL;"
                + " write jdbc:postgresql://host:5432/dbname, or unset it for the embedded database");
      }
      return new Database(null, pool(config.dbUrl(), config.dbUser(), config.dbPassword(), config, metrics));
    }
    EmbeddedDatabase pg = EmbeddedDatabase.start(config.dataDir(), config.dbSynchronousCommit() ? "on" : "off");
    return new Database(pg, pool(pg.jdbcUrl(), "postgres", pg.password(), config, metrics));
  }

  private static HikariDataSource pool(
      String url, String user, String password, ServerConfig config, MeterRegistry metrics) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (user != null) hc.setUsername(user);
    if (password != null) hc.setPassword(password);
    hc.setMaximumPoolSize(config.dbPoolSize());
    if (metrics != null) hc.setMetricRegistry(metrics);
    if (!config.dbSynchronousCommit()) {
      hc.setConnectionInitSql("set synchronous_commit = off"); // asked for explicitly; see ServerConfig
    }
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
    if (embedded != null) embedded.close();
  }
}
