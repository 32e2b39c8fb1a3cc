package dev.ridley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The server's configuration: an immutable, validated value. Build one with {@link #newBuilder()}
 * (every setting left unset takes its default, stated on the setter and as a {@code DEFAULT_}
 * constant), copy and change one with {@link #toBuilder()}, or read the {@code RIDLEY_*} variables
 * with {@link #fromEnvironment(Map)}. {@link ServerConfigBuilder#build()} rejects a wrong value with a
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
  public static final String ENV_DB_SYNCHRONOUS_COMMIT = "RIDLEY_DB_SYNCHRONOUS_COMMIT";
  public static final String ENV_RETENTION = "RIDLEY_RETENTION";
  public static final String ENV_AUTH_FILE = "RIDLEY_AUTH_FILE";
  public static final String ENV_AUTH = "RIDLEY_AUTH";
  public static final String ENV_OIDC_ISSUER = "RIDLEY_OIDC_ISSUER";
  public static final String ENV_OIDC_AUDIENCE = "RIDLEY_OIDC_AUDIENCE";
  public static final String ENV_OIDC_USER_CLAIM = "RIDLEY_OIDC_USER_CLAIM";
  public static final String ENV_OIDC_ROLES_CLAIM = "RIDLEY_OIDC_ROLES_CLAIM";
  public static final String ENV_OIDC_CLIENT_ID = "RIDLEY_OIDC_CLIENT_ID";
  public static final String ENV_OIDC_CLIENT_SECRET = "RIDLEY_OIDC_CLIENT_SECRET";
  public static final String ENV_PUBLIC_URL = "RIDLEY_PUBLIC_URL";
  public static final String ENV_CORS_ORIGINS = "RIDLEY_CORS_ORIGINS";
  public static final String ENV_TLS_CERT = "RIDLEY_TLS_CERT";
  public static final String ENV_TLS_KEY = "RIDLEY_TLS_KEY";
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

  /** Default {@link #oidcUserClaim()}: {@code sub}. */
  public static final String DEFAULT_OIDC_USER_CLAIM = "sub";
  /** Default {@link #oidcRolesClaim()}: {@code roles}. */
  public static final String DEFAULT_OIDC_ROLES_CLAIM = "roles";

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
  private final boolean dbSynchronousCommit;
  private final Duration retention;
  private final String amqpUrl;
  private final Security security;

  /**
   * Who may call and how: the key file, whether running without authentication was asked for,
   * the OIDC issuer, the public URL, CORS origins and the TLS certificate. See docs/SECURITY.md.
   */
  public record Security(
      Path authFile, boolean authNone, String oidcIssuer, String oidcAudience, String oidcUserClaim,
      String oidcRolesClaim, String oidcClientId, String oidcClientSecret, String publicUrl,
      java.util.List<String> corsOrigins, Path tlsCert, Path tlsKey) {

    /** All settings, the client secret as {@code ***} when set. */
    @Override
    public String toString() {
      return "Security[authFile=" + authFile + ", authNone=" + authNone + ", oidcIssuer=" + oidcIssuer
          + ", oidcAudience=" + oidcAudience + ", oidcUserClaim=" + oidcUserClaim + ", oidcRolesClaim=" + oidcRolesClaim
          + ", oidcClientId=" + oidcClientId + ", oidcClientSecret=" + (oidcClientSecret == null ? null : "***")
          + ", publicUrl=" + publicUrl + ", corsOrigins=" + corsOrigins + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + "]";
    }

    /** Whether callers must authenticate (a key file or an OIDC issuer is set). */
    public boolean enabled() {
      return authFile != null || oidcIssuer != null;
    }

    /** Whether the node serves HTTPS. */
    public boolean tls() {
      return tlsCert != null;
    }
  }

  ServerConfig(ServerConfigBuilder b) {
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
    this.dbSynchronousCommit = b.dbSynchronousCommit;
    this.retention = b.retention;
    this.amqpUrl = b.amqpUrl;
    this.security = new Security(b.authFile, b.authNone, b.oidcIssuer, b.oidcAudience, b.oidcUserClaim,
        b.oidcRolesClaim, b.oidcClientId, b.oidcClientSecret, b.publicUrl, java.util.List.copyOf(b.corsOrigins),
        b.tlsCert, b.tlsKey);
  }

  /** Authentication, CORS and TLS settings; see {@link Security}. */
  public Security security() {
    return security;
  }

  /** A builder with every setting unset (each takes its default in {@link ServerConfigBuilder#build()}). */
  public static ServerConfigBuilder newBuilder() {
    return new ServerConfigBuilder();
  }

  /** A builder holding {@code config}'s settings. */
  public static ServerConfigBuilder newBuilder(ServerConfig config) {
    return new ServerConfigBuilder(config);
  }

  /** The configuration with every default. */
  public static ServerConfig getDefaultInstance() {
    return DEFAULT_INSTANCE;
  }

  /**
   * Reads the {@code RIDLEY_*} variables (see docs/OPERATIONS.md); an unset or blank variable takes
   * the default.
   *
   * @throws ConfigException naming the variable and the fix when a value is wrong
   */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return new Env(env).read();
  }

  /** A builder holding this configuration's settings, to copy it with some changed. */
  public ServerConfigBuilder toBuilder() {
    return new ServerConfigBuilder(this);
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

  /**
   * Whether a commit waits for its WAL to reach disk before it is answered ({@code
   * RIDLEY_DB_SYNCHRONOUS_COMMIT}, default on). Off, an acknowledged start or report can be lost
   * in a crash of PostgreSQL or of the machine (never corrupted), for more throughput.
   */
  public boolean dbSynchronousCommit() {
    return dbSynchronousCommit;
  }

  /**
   * How long an ended process (SUCCEEDED, FAILED, CANCELLED, LOST) is kept after it ended, with
   * its tasks and journal, before this server deletes it ({@code RIDLEY_RETENTION}, e.g. {@code
   * 7d}), for pipelines whose file sets no {@code retention} of its own. PARKED and RUNNING
   * processes are never deleted. Null (the default): ended processes are kept forever.
   */
  public Duration retention() {
    return retention;
  }

  /**
   * The RabbitMQ this node publishes the tasks of {@code transport: amqp} stages to and takes their
   * results from ({@code RIDLEY_AMQP_URL}); null (the default): none, and a pipeline with an amqp
   * stage stops the server at start.
   */
  public String amqpUrl() {
    return amqpUrl;
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
        && Objects.equals(eliotLog, c.eliotLog)
        && dbSynchronousCommit == c.dbSynchronousCommit
        && Objects.equals(retention, c.retention)
        && Objects.equals(amqpUrl, c.amqpUrl)
        && security.equals(c.security);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dbUrl, dbUser, dbPassword, dataDir, httpPort, bind, pipelines, maxPayloadBytes,
        dbPoolSize, sweepInterval, eliotLog, dbSynchronousCommit, retention, security, amqpUrl);
  }

  /** All settings but the password, which shows as {@code ***} when set. */
  @Override
  public String toString() {
    return "ServerConfig{dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", dbPassword=" + (dbPassword == null ? null : "***")
        + ", dataDir=" + dataDir + ", httpPort=" + httpPort + ", bind=" + bind + ", pipelines=" + pipelines
        + ", maxPayloadBytes=" + maxPayloadBytes + ", dbPoolSize=" + dbPoolSize + ", sweepInterval=" + sweepInterval
        + ", eliotLog=" + eliotLog + ", dbSynchronousCommit=" + dbSynchronousCommit + ", retention=" + retention
        + ", amqpUrl=" + (amqpUrl == null ? null : amqpUrl.replaceAll("//[^@/]*@", "//***@")) + ", security=" + security + "}";
  }
}
