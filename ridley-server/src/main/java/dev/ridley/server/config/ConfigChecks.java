package dev.ridley.server.config;

import static dev.ridley.server.config.ServerConfig.*;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The checks a configuration passes before it is built, each failing with a message that names
 * the variable, the value and the fix.
 */
final class ConfigChecks {

  private ConfigChecks() {}

  /** Checks the settings of {@code b}, defaults applied. */
  static void check(ServerConfigBuilder b) {
    checkSecurity(b);
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
  }

  private static void checkSecurity(ServerConfigBuilder b) {
    boolean auth = b.authFile != null || b.oidcIssuer != null;
    if (!auth && !b.authNone && !loopback(b.bind)) {
      throw new ConfigException(ENV_BIND + "=" + b.bind + " lets other machines call this server, and no"
          + " authentication is configured; set " + ENV_AUTH_FILE + " (API keys) or " + ENV_OIDC_ISSUER
          + ", or say that anyone who reaches the port may do anything with " + ENV_AUTH + "=none");
    }
    if (auth && b.authNone) {
      throw new ConfigException(ENV_AUTH + "=none contradicts " + (b.authFile != null ? ENV_AUTH_FILE : ENV_OIDC_ISSUER)
          + "; unset one of them");
    }
    if (b.oidcClientId != null && b.oidcIssuer == null) {
      throw new ConfigException(ENV_OIDC_CLIENT_ID + " is set but " + ENV_OIDC_ISSUER + " is not; set the issuer too");
    }
    if ((b.tlsCert == null) != (b.tlsKey == null)) {
      throw new ConfigException((b.tlsCert == null ? ENV_TLS_CERT : ENV_TLS_KEY) + " is unset but "
          + (b.tlsCert == null ? ENV_TLS_KEY : ENV_TLS_CERT) + " is set; HTTPS needs both (PEM files)");
    }
    for (Path p : java.util.Arrays.asList(b.tlsCert, b.tlsKey)) {
      if (p != null && !java.nio.file.Files.isReadable(p)) {
        throw new ConfigException((p == b.tlsCert ? ENV_TLS_CERT : ENV_TLS_KEY) + "=" + p + " cannot be read");
      }
    }
    if (b.publicUrl != null) {
      java.net.URI u;
      try {
        u = java.net.URI.create(b.publicUrl);
      } catch (IllegalArgumentException e) {
        u = null;
      }
      if (u == null || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        throw new ConfigException(ENV_PUBLIC_URL + "=" + b.publicUrl + " is not an http(s) URL; write e.g."
            + " https://ridley.example.com");
      }
    }
    for (String o : b.corsOrigins) {
      if (!o.matches("https?://[^/\\s]+")) {
        throw new ConfigException(ENV_CORS_ORIGINS + " holds '" + o + "', which is not an origin; write"
            + " scheme://host[:port] with no path, e.g. https://shop.example.com, separated by commas");
      }
    }
  }

  /** Whether an address is this machine's own (127.0.0.0/8, ::1, localhost). */
  static boolean loopback(String bind) {
    try {
      return java.net.InetAddress.getByName(bind).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
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
}
