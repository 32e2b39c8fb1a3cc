package dev.ridley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The server's configuration: an immutable, validated value. Build one with {@link #newBuilder()}
 * (every setting left unset takes its default, stated on the setter and as a {@code DEFAULT_}
 * constant), copy and change one with {@link #toBuilder()}, or read the {@code RIDLEY_*} variables
 * with {@link #fromEnvironment(Map)}. {@link Builder#build()} rejects a wrong value with a
 * {@link ConfigException} that names the setting, its environment variable and the fix.
 *
 * <p>docs/OPERATIONS.md lists the variables.
 */
public final class ServerConfig {

  public static final String ENV_DB_URL = "RIDLEY_DB_URL";
  public static final String ENV_DB_USER = "RIDLEY_DB_USER";
  public static final String ENV_DB_PASSWORD = "RIDLEY_DB_PASSWORD";
  public static final String ENV_DATA_DIR = "RIDLEY_DATA_DIR";
  public static final String ENV_HTTP_PORT = "RIDLEY_HTTP_PORT";
  public static final String ENV_BIND = "RIDLEY_BIND";
  public static final String ENV_PIPELINES = "RIDLEY_PIPELINES";
  public static final String ENV_MAX_PAYLOAD_BYTES = "RIDLEY_MAX_PAYLOAD_BYTES";
  public static final String ENV_DB_POOL_SIZE = "RIDLEY_DB_POOL_SIZE";
  public static final String ENV_SWEEP_INTERVAL_MS = "RIDLEY_SWEEP_INTERVAL_MS";
  public static final String ENV_ELIOT_LOG = "RIDLEY_ELIOT_LOG";
  /** Reserved for the RabbitMQ transport, which this version does not have: setting it is refused. */
  public static final String ENV_AMQP_URL = "RIDLEY_AMQP_URL";

  /** Default {@link #dataDir()}: {@code ./ridley-data}. */
  public static final Path DEFAULT_DATA_DIR = Path.of("./ridley-data");
  /** Default {@link #httpPort()}: 8088. */
  public static final int DEFAULT_HTTP_PORT = 8088;
  /** Default {@link #bind()}: {@code 127.0.0.1}, this machine only. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** Default {@link #pipelines()}: {@code ./pipelines}. */
  public static final Path DEFAULT_PIPELINES = Path.of("./pipelines");
  /** Default {@link #maxPayloadBytes()}: 1 MiB (1048576). */
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  /** Default {@link #dbPoolSize()}: 16 connections. */
  public static final int DEFAULT_DB_POOL_SIZE = 16;
  /** Default {@link #sweepInterval()}: 500 ms. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMillis(500);

  private static final ServerConfig DEFAULT_INSTANCE = newBuilder().build();

  private final String dbUrl;
  private final String dbUser;
  private final String dbPassword;
  private final Path dataDir;
  private final int httpPort;
  private final String bind;
  private final Path pipelines;
  private final long maxPayloadBytes;
  private final int dbPoolSize;
  private final Duration sweepInterval;
  private final String eliotLog;

  private ServerConfig(Builder b) {
    this.dbUrl = b.dbUrl;
    this.dbUser = b.dbUser;
    this.dbPassword = b.dbPassword;
    this.dataDir = b.dataDir;
    this.httpPort = b.httpPort;
    this.bind = b.bind;
    this.pipelines = b.pipelines;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.dbPoolSize = b.dbPoolSize;
    this.sweepInterval = b.sweepInterval;
    this.eliotLog = b.eliotLog;
  }

  /** A builder with every setting unset (each takes its default in {@link Builder#build()}). */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder holding {@code config}'s settings. */
  public static Builder newBuilder(ServerConfig config) {
    return new Builder(config);
  }

  /** The configuration with every default. */
  public static ServerConfig getDefaultInstance() {
    return DEFAULT_INSTANCE;
  }

  /**
   * Reads the {@code RIDLEY_*} variables (see docs/OPERATIONS.md); an unset or blank variable takes
   * the default. A variable Ridley reads but does not implement yet ({@code RIDLEY_AMQP_URL}) is
   * refused rather than ignored.
   *
   * @throws ConfigException naming the variable and the fix when a value is wrong
   */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Env e = new Env(env);
    if (e.string(ENV_AMQP_URL) != null) {
      throw new ConfigException(ENV_AMQP_URL + " is set, but the RabbitMQ transport is not available in this"
          + " version of Ridley; unset " + ENV_AMQP_URL + " (workers claim tasks over HTTP)");
    }
    Builder b = newBuilder()
        .setDbUrl(e.string(ENV_DB_URL))
        .setDbUser(e.string(ENV_DB_USER))
        .setDbPassword(e.string(ENV_DB_PASSWORD))
        .setEliotLog(e.string(ENV_ELIOT_LOG))
        .setBind(e.string(ENV_BIND));
    String dataDir = e.string(ENV_DATA_DIR);
    if (dataDir != null) b.setDataDir(Path.of(dataDir));
    String pipelines = e.string(ENV_PIPELINES);
    if (pipelines != null) b.setPipelines(Path.of(pipelines));
    Integer port = e.port(ENV_HTTP_PORT, DEFAULT_HTTP_PORT);
    if (port != null) b.setHttpPort(port);
    Long maxPayload = e.positiveLong(ENV_MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);
    if (maxPayload != null) b.setMaxPayloadBytes(maxPayload);
    Integer poolSize = e.positiveInt(ENV_DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE);
    if (poolSize != null) b.setDbPoolSize(poolSize);
    Long sweepMs = e.positiveLong(ENV_SWEEP_INTERVAL_MS, DEFAULT_SWEEP_INTERVAL.toMillis());
    if (sweepMs != null) b.setSweepInterval(Duration.ofMillis(sweepMs));
    return b.build();
  }

  /** A builder holding this configuration's settings, to copy it with some changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** JDBC URL of an external PostgreSQL ({@code jdbc:postgresql:...}), or null for the embedded one. */
  public String dbUrl() {
    return dbUrl;
  }

  /** User for {@link #dbUrl()}, or null when the URL carries it. */
  public String dbUser() {
    return dbUser;
  }

  /** Password for {@link #dbUrl()}, or null when the URL carries it. */
  public String dbPassword() {
    return dbPassword;
  }

  /** Where the embedded PostgreSQL keeps its data; default {@link #DEFAULT_DATA_DIR}. */
  public Path dataDir() {
    return dataDir;
  }

  /** The HTTP port, 0 for any free one; default {@link #DEFAULT_HTTP_PORT}. */
  public int httpPort() {
    return httpPort;
  }

  /** The address to listen on; default {@link #DEFAULT_BIND}. */
  public String bind() {
    return bind;
  }

  /** The folder of pipeline YAML files; default {@link #DEFAULT_PIPELINES}. */
  public Path pipelines() {
    return pipelines;
  }

  /** The largest request body accepted, larger ones are answered 413; default {@link #DEFAULT_MAX_PAYLOAD_BYTES}. */
  public long maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Database connections this node keeps; default {@link #DEFAULT_DB_POOL_SIZE}. */
  public int dbPoolSize() {
    return dbPoolSize;
  }

  /** How often this node looks for due timers; default {@link #DEFAULT_SWEEP_INTERVAL}. */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /**
   * Where to append the Eliot JSON lines of every process that ends (a file, or {@code -} for
   * stdout); null (the default): off.
   */
  public String eliotLog() {
    return eliotLog;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerConfig c
        && Objects.equals(dbUrl, c.dbUrl)
        && Objects.equals(dbUser, c.dbUser)
        && Objects.equals(dbPassword, c.dbPassword)
        && dataDir.equals(c.dataDir)
        && httpPort == c.httpPort
        && bind.equals(c.bind)
        && pipelines.equals(c.pipelines)
        && maxPayloadBytes == c.maxPayloadBytes
        && dbPoolSize == c.dbPoolSize
        && sweepInterval.equals(c.sweepInterval)
        && Objects.equals(eliotLog, c.eliotLog);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, pipelines, maxPayloadBytes,
        dbPoolSize, sweepInterval, eliotLog);
  }

  /** All settings but the password, which shows as {@code ***} when set. */
  @Override
  public String toString() {
    return "ServerConfig{dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", dbPassword=" + (dbPassword == null ? null : "***")
        + ", dataDir=" + dataDir + ", httpPort=" + httpPort + ", bind=" + bind + ", pipelines=" + pipelines
        + ", maxPayloadBytes=" + maxPayloadBytes + ", dbPoolSize=" + dbPoolSize + ", sweepInterval=" + sweepInterval
        + ", eliotLog=" + eliotLog + "}";
  }

  /**
   * Settings for a {@link ServerConfig}. A setter given null (or, for text, a blank string) unsets
   * the setting, so it takes its default. Nothing is checked until {@link #build()}.
   */
  public static final class Builder {

    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private Path dataDir;
    private Integer httpPort;
    private String bind;
    private Path pipelines;
    private Long maxPayloadBytes;
    private Integer dbPoolSize;
    private Duration sweepInterval;
    private String eliotLog;

    private Builder() {}

    private Builder(ServerConfig c) {
      dbUrl = c.dbUrl;
      dbUser = c.dbUser;
      dbPassword = c.dbPassword;
      dataDir = c.dataDir;
      httpPort = c.httpPort;
      bind = c.bind;
      pipelines = c.pipelines;
      maxPayloadBytes = c.maxPayloadBytes;
      dbPoolSize = c.dbPoolSize;
      sweepInterval = c.sweepInterval;
      eliotLog = c.eliotLog;
    }

    /**
     * JDBC URL of an external PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/ridley}
     * ({@code RIDLEY_DB_URL}). Default: unset, Ridley starts an embedded PostgreSQL.
     */
    public Builder setDbUrl(String dbUrl) {
      this.dbUrl = text(dbUrl);
      return this;
    }

    /** User for the external database ({@code RIDLEY_DB_USER}). Default: unset, from the URL if there. */
    public Builder setDbUser(String dbUser) {
      this.dbUser = text(dbUser);
      return this;
    }

    /** Password for the external database ({@code RIDLEY_DB_PASSWORD}). Default: unset, from the URL if there. */
    public Builder setDbPassword(String dbPassword) {
      this.dbPassword = text(dbPassword);
      return this;
    }

    /** Where the embedded PostgreSQL keeps its data ({@code RIDLEY_DATA_DIR}). Default {@link #DEFAULT_DATA_DIR}. */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The HTTP port, 1-65535, or 0 for any free one ({@code RIDLEY_HTTP_PORT}). Default {@link #DEFAULT_HTTP_PORT}. */
    public Builder setHttpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /** The address to listen on, {@code 0.0.0.0} for every interface ({@code RIDLEY_BIND}). Default {@link #DEFAULT_BIND}. */
    public Builder setBind(String bind) {
      this.bind = text(bind);
      return this;
    }

    /** The folder of pipeline YAML files ({@code RIDLEY_PIPELINES}). Default {@link #DEFAULT_PIPELINES}. */
    public Builder setPipelines(Path pipelines) {
      this.pipelines = pipelines;
      return this;
    }

    /** The largest request body, in bytes, above 0 ({@code RIDLEY_MAX_PAYLOAD_BYTES}). Default {@link #DEFAULT_MAX_PAYLOAD_BYTES}. */
    public Builder setMaxPayloadBytes(long maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** Database connections this node keeps, above 0 ({@code RIDLEY_DB_POOL_SIZE}). Default {@link #DEFAULT_DB_POOL_SIZE}. */
    public Builder setDbPoolSize(int dbPoolSize) {
      this.dbPoolSize = dbPoolSize;
      return this;
    }

    /**
     * How often this node looks for due timers, at least 1 ms ({@code RIDLEY_SWEEP_INTERVAL_MS}).
     * Default {@link #DEFAULT_SWEEP_INTERVAL}.
     */
    public Builder setSweepInterval(Duration sweepInterval) {
      this.sweepInterval = sweepInterval;
      return this;
    }

    /**
     * Where to append the Eliot JSON lines of every process that ends: a file, or {@code -} for
     * stdout ({@code RIDLEY_ELIOT_LOG}). Default: unset, off.
     */
    public Builder setEliotLog(String eliotLog) {
      this.eliotLog = text(eliotLog);
      return this;
    }

    /**
     * Fills every unset setting with its default and checks the values.
     *
     * @throws ConfigException naming the setting, its environment variable and the fix
     */
    public ServerConfig build() {
      Builder b = new Builder();
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
      return new ServerConfig(b);
    }

    private static String text(String s) {
      return s == null || s.isBlank() ? null : s.trim();
    }
  }
}
