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
  Path authFile;
  boolean authNone;
  String oidcIssuer;
  String oidcAudience;
  String oidcUserClaim;
  String oidcRolesClaim;
  String oidcClientId;
  String oidcClientSecret;
  String publicUrl;
  java.util.List<String> corsOrigins = java.util.List.of();
  Path tlsCert;
  Path tlsKey;
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
    ServerConfig.Security sec = c.security();
    authFile = sec.authFile();
    authNone = sec.authNone();
    oidcIssuer = sec.oidcIssuer();
    oidcAudience = sec.oidcAudience();
    oidcUserClaim = sec.oidcUserClaim();
    oidcRolesClaim = sec.oidcRolesClaim();
    oidcClientId = sec.oidcClientId();
    oidcClientSecret = sec.oidcClientSecret();
    publicUrl = sec.publicUrl();
    corsOrigins = sec.corsOrigins();
    tlsCert = sec.tlsCert();
    tlsKey = sec.tlsKey();
  }

  /**
   * The API key file ({@code RIDLEY_AUTH_FILE}): YAML {@code keys: [{name, sha256, roles, stages?,
   * onBehalfOf?}]}. Default: unset; with neither it nor an OIDC issuer, nobody is asked who they are.
   */
  public ServerConfigBuilder setAuthFile(Path authFile) {
    this.authFile = authFile;
    return this;
  }

  /**
   * Says that running without authentication on a non-loopback address is meant ({@code
   * RIDLEY_AUTH=none}). Default false: such a server refuses to start.
   */
  public ServerConfigBuilder setAuthNone(boolean none) {
    this.authNone = none;
    return this;
  }

  /** The OIDC issuer whose signed tokens are accepted ({@code RIDLEY_OIDC_ISSUER}). Default: unset. */
  public ServerConfigBuilder setOidcIssuer(String issuer) {
    this.oidcIssuer = text(issuer);
    return this;
  }

  /** The audience an OIDC token must name ({@code RIDLEY_OIDC_AUDIENCE}). Default: unset, not checked. */
  public ServerConfigBuilder setOidcAudience(String audience) {
    this.oidcAudience = text(audience);
    return this;
  }

  /** The claim that names the principal ({@code RIDLEY_OIDC_USER_CLAIM}). Default {@link ServerConfig#DEFAULT_OIDC_USER_CLAIM}. */
  public ServerConfigBuilder setOidcUserClaim(String claim) {
    this.oidcUserClaim = text(claim);
    return this;
  }

  /** The claim that lists the roles ({@code RIDLEY_OIDC_ROLES_CLAIM}). Default {@link ServerConfig#DEFAULT_OIDC_ROLES_CLAIM}. */
  public ServerConfigBuilder setOidcRolesClaim(String claim) {
    this.oidcRolesClaim = text(claim);
    return this;
  }

  /**
   * The dashboard's OIDC client ({@code RIDLEY_OIDC_CLIENT_ID}, and {@code RIDLEY_OIDC_CLIENT_SECRET}
   * for a confidential client): with it the sign-in page offers the issuer's own sign-in
   * (authorization code with PKCE). Default: unset, the page takes keys and pasted tokens.
   */
  public ServerConfigBuilder setOidcClient(String clientId, String clientSecret) {
    this.oidcClientId = text(clientId);
    this.oidcClientSecret = text(clientSecret);
    return this;
  }

  /**
   * The URL callers use, e.g. {@code https://ridley.example.com} ({@code RIDLEY_PUBLIC_URL}); its
   * host is accepted in the Host header. Default: unset (IP addresses and localhost only).
   */
  public ServerConfigBuilder setPublicUrl(String url) {
    this.publicUrl = text(url);
    return this;
  }

  /** Origins whose web pages may call the API ({@code RIDLEY_CORS_ORIGINS}, comma-separated). Default: none. */
  public ServerConfigBuilder setCorsOrigins(java.util.List<String> origins) {
    this.corsOrigins = origins == null ? java.util.List.of() : java.util.List.copyOf(origins);
    return this;
  }

  /** PEM certificate chain and PKCS#8 PEM private key for HTTPS ({@code RIDLEY_TLS_CERT}, {@code RIDLEY_TLS_KEY}). */
  public ServerConfigBuilder setTls(Path cert, Path key) {
    this.tlsCert = cert;
    this.tlsKey = key;
    return this;
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
    b.authFile = authFile;
    b.authNone = authNone;
    b.oidcIssuer = oidcIssuer;
    b.oidcAudience = oidcAudience;
    b.oidcUserClaim = oidcUserClaim != null ? oidcUserClaim : DEFAULT_OIDC_USER_CLAIM;
    b.oidcRolesClaim = oidcRolesClaim != null ? oidcRolesClaim : DEFAULT_OIDC_ROLES_CLAIM;
    b.oidcClientId = oidcClientId;
    b.oidcClientSecret = oidcClientSecret;
    b.publicUrl = publicUrl;
    b.corsOrigins = corsOrigins;
    b.tlsCert = tlsCert;
    b.tlsKey = tlsKey;
    b.amqpUrl = amqpUrl;
    ConfigChecks.check(b);
    return new ServerConfig(b);
  }

  private static String text(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
