package dev.ridley.server.config;

import static dev.ridley.server.config.ServerConfig.*;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings for a {@link ServerConfig}. A setter given null (or, for text, a blank string) unsets
 * the setting, so it takes its default. Nothing is checked until {@link #build()}.
 */
public final class ServerConfigBuilder {

  String dbUrl;
  String dbUser;
  String dbPassword;
  Path dataDir;
  Integer httpPort;
  String bind;
  Path pipelines;
  Long maxPayloadBytes;
  Integer dbPoolSize;
  Duration sweepInterval;
  String eliotLog;
  boolean dbSynchronousCommit = true;
  Duration retention;
  String amqpUrl;

  ServerConfigBuilder() {}

  ServerConfigBuilder(ServerConfig c) {
    dbUrl = c.dbUrl();
    dbUser = c.dbUser();
    dbPassword = c.dbPassword();
    dataDir = c.dataDir();
    httpPort = c.httpPort();
    bind = c.bind();
    pipelines = c.pipelines();
    maxPayloadBytes = c.maxPayloadBytes();
    dbPoolSize = c.dbPoolSize();
    sweepInterval = c.sweepInterval();
    eliotLog = c.eliotLog();
    dbSynchronousCommit = c.dbSynchronousCommit();
    retention = c.retention();
    amqpUrl = c.amqpUrl();
  }

  /**
   * JDBC URL of an external PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/ridley}
   * ({@code RIDLEY_DB_URL}). Default: unset, Ridley starts an embedded PostgreSQL.
   */
  public ServerConfigBuilder setDbUrl(String dbUrl) {
    this.dbUrl = text(dbUrl);
    return this;
  }

  /** User for the external database ({@code RIDLEY_DB_USER}). Default: unset, from the URL if there. */
  public ServerConfigBuilder setDbUser(String dbUser) {
    this.dbUser = text(dbUser);
    return this;
  }

  /** Password for the external database ({@code RIDLEY_DB_PASSWORD}). Default: unset, from the URL if there. */
  public ServerConfigBuilder setDbPassword(String dbPassword) {
    this.dbPassword = text(dbPassword);
    return this;
  }

  /** Where the embedded PostgreSQL keeps its data ({@code RIDLEY_DATA_DIR}). Default {@link #DEFAULT_DATA_DIR}. */
  public ServerConfigBuilder setDataDir(Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The HTTP port, 1-65535, or 0 for any free one ({@code RIDLEY_HTTP_PORT}). Default {@link #DEFAULT_HTTP_PORT}. */
  public ServerConfigBuilder setHttpPort(int httpPort) {
    this.httpPort = httpPort;
    return this;
  }

  /** The address to listen on, {@code 0.0.0.0} for every interface ({@code RIDLEY_BIND}). Default {@link #DEFAULT_BIND}. */
  public ServerConfigBuilder setBind(String bind) {
    this.bind = text(bind);
    return this;
  }

  /** The folder of pipeline YAML files ({@code RIDLEY_PIPELINES}). Default {@link #DEFAULT_PIPELINES}. */
  public ServerConfigBuilder setPipelines(Path pipelines) {
    this.pipelines = pipelines;
    return this;
  }

  /** The largest request body, in bytes, above 0 ({@code RIDLEY_MAX_PAYLOAD_BYTES}). Default {@link #DEFAULT_MAX_PAYLOAD_BYTES}. */
  public ServerConfigBuilder setMaxPayloadBytes(long maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
    return this;
  }

  /** Database connections this node keeps, above 0 ({@code RIDLEY_DB_POOL_SIZE}). Default {@link #DEFAULT_DB_POOL_SIZE}. */
  public ServerConfigBuilder setDbPoolSize(int dbPoolSize) {
    this.dbPoolSize = dbPoolSize;
    return this;
  }

  /**
   * How often this node looks for due timers, at least 1 ms ({@code RIDLEY_SWEEP_INTERVAL_MS}).
   * Default {@link #DEFAULT_SWEEP_INTERVAL}.
   */
  public ServerConfigBuilder setSweepInterval(Duration sweepInterval) {
    this.sweepInterval = sweepInterval;
    return this;
  }

  /**
   * Where to append the Eliot JSON lines of every process that ends: a file, or {@code -} for
   * stdout ({@code RIDLEY_ELIOT_LOG}). Default: unset, off.
   */
  public ServerConfigBuilder setEliotLog(String eliotLog) {
    this.eliotLog = text(eliotLog);
    return this;
  }

  /** See {@link ServerConfig#dbSynchronousCommit()}. Default: true (durable). */
  public ServerConfigBuilder setDbSynchronousCommit(boolean on) {
    this.dbSynchronousCommit = on;
    return this;
  }

  /**
   * How long ended processes are kept, at least 1 s ({@code RIDLEY_RETENTION}, e.g. {@code 7d});
   * see {@link ServerConfig#retention()}. Default: unset, kept forever.
   */
  public ServerConfigBuilder setRetention(Duration retention) {
    this.retention = retention;
    return this;
  }

  /**
   * The RabbitMQ to connect to ({@code RIDLEY_AMQP_URL}, e.g. {@code
   * amqp://guest:guest@127.0.0.1:5672/%2f}); see {@link ServerConfig#amqpUrl()}. Default: unset, no
   * broker (pipelines with {@code transport: amqp} then refuse to start).
   */
  public ServerConfigBuilder setAmqpUrl(String amqpUrl) {
    this.amqpUrl = text(amqpUrl);
    return this;
  }

  /**
   * Fills every unset setting with its default and checks the values.
   *
   * @throws ConfigException naming the setting, its environment variable and the fix
   */
  public ServerConfig build() {
    ServerConfigBuilder b = new ServerConfigBuilder();
    b.dbUrl = dbUrl;
    b.dbUser = dbUser;
    b.dbPassword = dbPassword;
    b.dataDir = dataDir != null ? dataDir : DEFAULT_DATA_DIR;
    b.httpPort = httpPort != null ? httpPort : DEFAULT_HTTP_PORT;
    b.bind = bind != null ? bind : DEFAULT_BIND;
    b.pipelines = pipelines != null ? pipelines : DEFAULT_PIPELINES;
    b.maxPayloadBytes = maxPayloadBytes != null ? maxPayloadBytes : DEFAULT_MAX_PAYLOAD_BYTES;
    b.dbPoolSize = dbPoolSize != null ? dbPoolSize : DEFAULT_DB_POOL_SIZE;
    b.sweepInterval = sweepInterval != null ? sweepInterval : DEFAULT_SWEEP_INTERVAL;
    b.eliotLog = eliotLog;
    b.dbSynchronousCommit = dbSynchronousCommit;
    b.retention = retention;
    b.amqpUrl = amqpUrl;

    if (b.dbUrl != null && !b.dbUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(ENV_DB_URL + "=" + b.dbUrl + " (dbUrl) is not a PostgreSQL JDBC URL;"
          + " write jdbc:postgresql://host:5432/dbname, or unset it for the embedded database");
    }
    if (b.dbUrl == null && (b.dbUser != null || b.dbPassword != null)) {
      String name = b.dbUser != null ? ENV_DB_USER : ENV_DB_PASSWORD;
      throw new ConfigException(name + " (" + (b.dbUser != null ? "dbUser" : "dbPassword") + ") is set but "
          + ENV_DB_URL + " is not, and the embedded database takes no credentials;"
          + " set " + ENV_DB_URL + " to your PostgreSQL, or unset " + name);
    }
    if (b.httpPort < 0 || b.httpPort > 65535) {
      throw new ConfigException(ENV_HTTP_PORT + "=" + b.httpPort + " (httpPort) is not a TCP port;"
          + " use 1-65535, 0 for any free port, or leave it unset for the default " + DEFAULT_HTTP_PORT);
    }
    if (b.maxPayloadBytes <= 0) {
      throw new ConfigException(ENV_MAX_PAYLOAD_BYTES + "=" + b.maxPayloadBytes + " (maxPayloadBytes) must be above 0;"
          + " leave it unset for the default " + DEFAULT_MAX_PAYLOAD_BYTES);
    }
    if (b.dbPoolSize <= 0) {
      throw new ConfigException(ENV_DB_POOL_SIZE + "=" + b.dbPoolSize + " (dbPoolSize) must be above 0;"
          + " leave it unset for the default " + DEFAULT_DB_POOL_SIZE);
    }
    if (b.sweepInterval.toMillis() < 1) {
      throw new ConfigException(ENV_SWEEP_INTERVAL_MS + "=" + b.sweepInterval.toMillis() + " (sweepInterval "
          + b.sweepInterval + ") must be at least 1 ms; leave it unset for the default "
          + DEFAULT_SWEEP_INTERVAL.toMillis());
    }
    if (b.retention != null && b.retention.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(ENV_RETENTION + "=" + b.retention.toMillis() + "ms (retention " + b.retention
          + ") must be at least 1s; write e.g. 7d, or leave it unset to keep ended processes forever");
    }
    if (b.amqpUrl != null) checkAmqpUrl(b.amqpUrl);
    return new ServerConfig(b);
  }

  private static void checkAmqpUrl(String url) {
    String fix = "; write amqp://user:password@host:5672/vhost (%2f for the default vhost),"
        + " or unset it";
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(ENV_AMQP_URL + " is not a URI (" + e.getReason() + ")" + fix);
    }
    if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
      throw new ConfigException(ENV_AMQP_URL + " must start with amqp:// or amqps://" + fix);
    }
    if (uri.getHost() == null) {
      throw new ConfigException(ENV_AMQP_URL + " names no host" + fix);
    }
  }

  private static String text(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
