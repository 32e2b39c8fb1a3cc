package dev.ridley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The server's configuration, read once from the environment at start and frozen after. A wrong
 * value stops the server with a message that names the variable and the fix.
 *
 * @param dbUrl JDBC URL of an external PostgreSQL, or null for the embedded one
 * @param dataDir where the embedded PostgreSQL keeps its data
 * @param maxPayloadBytes the largest request body accepted; larger ones are answered 413
 * @param sweepInterval how often this node looks for due timers
 * @param eliotLog where to append the Eliot JSON lines of every process that ends (a file, or
 *     {@code -} for stdout); null: off
 */
public record ServerConfig(
    String dbUrl,
    String dbUser,
    String dbPassword,
    Path dataDir,
    int httpPort,
    String bind,
    Path pipelines,
    String amqpUrl,
    long maxPayloadBytes,
    int dbPoolSize,
    Duration sweepInterval,
    String eliotLog) {

  public static final int DEFAULT_HTTP_PORT = 8088;
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  public static final int DEFAULT_DB_POOL_SIZE = 16;
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMillis(500);

  /** Reads {@code RIDLEY_*} variables; see docs/OPERATIONS.md for each. */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Env e = new Env(env);
    return new ServerConfig(
        e.string("RIDLEY_DB_URL", null),
        e.string("RIDLEY_DB_USER", null),
        e.string("RIDLEY_DB_PASSWORD", null),
        Path.of(e.string("RIDLEY_DATA_DIR", "./ridley-data")),
        e.port("RIDLEY_HTTP_PORT", DEFAULT_HTTP_PORT),
        e.string("RIDLEY_BIND", DEFAULT_BIND),
        Path.of(e.string("RIDLEY_PIPELINES", "./pipelines")),
        e.string("RIDLEY_AMQP_URL", null),
        e.positiveLong("RIDLEY_MAX_PAYLOAD_BYTES", DEFAULT_MAX_PAYLOAD_BYTES),
        (int) e.positiveLong("RIDLEY_DB_POOL_SIZE", DEFAULT_DB_POOL_SIZE),
        Duration.ofMillis(e.positiveLong("RIDLEY_SWEEP_INTERVAL_MS", DEFAULT_SWEEP_INTERVAL.toMillis())),
        e.string("RIDLEY_ELIOT_LOG", null));
  }

  public static ServerConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public ServerConfig withHttpPort(int port) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dataDir, port, bind, pipelines, amqpUrl, maxPayloadBytes, dbPoolSize, sweepInterval, eliotLog);
  }

  public ServerConfig withDb(String url, String user, String password) {
    return new ServerConfig(url, user, password, dataDir, httpPort, bind, pipelines, amqpUrl, maxPayloadBytes, dbPoolSize, sweepInterval, eliotLog);
  }

  public ServerConfig withPipelines(Path dir) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, dir, amqpUrl, maxPayloadBytes, dbPoolSize, sweepInterval, eliotLog);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dir, httpPort, bind, pipelines, amqpUrl, maxPayloadBytes, dbPoolSize, sweepInterval, eliotLog);
  }

  public ServerConfig withSweepInterval(Duration every) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, pipelines, amqpUrl, maxPayloadBytes, dbPoolSize, every, eliotLog);
  }

  public ServerConfig withEliotLog(String target) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, pipelines, amqpUrl, maxPayloadBytes, dbPoolSize, sweepInterval, target);
  }

  public ServerConfig withMaxPayloadBytes(long bytes) {
    return new ServerConfig(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, pipelines, amqpUrl, bytes, dbPoolSize, sweepInterval, eliotLog);
  }
}
