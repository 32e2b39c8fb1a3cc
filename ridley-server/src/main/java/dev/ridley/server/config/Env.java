package dev.ridley.server.config;

import static dev.ridley.server.config.ServerConfig.*;

import dev.ridley.engine.pipeline.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Typed reads of environment variables that fail with the variable's name and the fix. Each read
 * returns null when the variable is unset or blank, so the caller's builder fills the default.
 */
final class Env {

  private final Map<String, String> env;

  Env(Map<String, String> env) {
    this.env = env;
  }

  /** The trimmed value, or null when unset or blank. */
  String string(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  Integer port(String name, int fallback) {
    Long v = positiveLong(name, fallback);
    if (v == null) {
      return null;
    }
    if (v > 65535) {
      throw new ConfigException(name + "=" + env.get(name) + " is not a TCP port; use 1-65535, or unset it for the default " + fallback);
    }
    return v.intValue();
  }

  Integer positiveInt(String name, int fallback) {
    Long v = positiveLong(name, fallback);
    if (v == null) {
      return null;
    }
    if (v > Integer.MAX_VALUE) {
      throw new ConfigException(name + "=" + env.get(name) + " is too large; use at most " + Integer.MAX_VALUE + ", or unset it for the default " + fallback);
    }
    return v.intValue();
  }

  Long positiveLong(String name, long fallback) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v + " is not a positive whole number; unset it for the default " + fallback);
    }
  }

  /** {@code on} or {@code off} (also true/false); null when unset. */
  Boolean onOff(String name) {
    String v = string(name);
    if (v == null) return null;
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new ConfigException(name + "=" + v + " must be on or off; leave it unset for on");
    };
  }

  /** A duration written as in pipeline files ({@code 30s}, {@code 12h}, {@code 7d}); null when unset. */
  Duration duration(String name, String unsetMeans) {
    String v = string(name);
    if (v == null) return null;
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + "=" + v + " is not a duration; write a whole number and a unit"
          + " (ms, s, m, h, d), e.g. 7d, or unset it " + unsetMeans);
    }
  }

  /** The configuration the {@code RIDLEY_*} variables describe. */
  ServerConfig read() {
    Env e = this;
    ServerConfigBuilder b = ServerConfig.newBuilder()
        .setDbUrl(e.string(ENV_DB_URL))
        .setDbUser(e.string(ENV_DB_USER))
        .setDbPassword(e.string(ENV_DB_PASSWORD))
        .setEliotLog(e.string(ENV_ELIOT_LOG))
        .setBind(e.string(ENV_BIND))
        .setAmqpUrl(e.string(ENV_AMQP_URL));
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
    Boolean sync = e.onOff(ENV_DB_SYNCHRONOUS_COMMIT);
    if (sync != null) b.setDbSynchronousCommit(sync);
    if (!"forever".equals(e.string(ENV_RETENTION))) {
      b.setRetention(e.duration(ENV_RETENTION, "(or write forever) to keep ended processes forever"));
    }
    String authFile = e.string(ENV_AUTH_FILE);
    if (authFile != null) b.setAuthFile(Path.of(authFile));
    String auth = e.string(ENV_AUTH);
    if (auth != null) {
      if (!auth.equals("none")) {
        throw new ConfigException(ENV_AUTH + "=" + auth + " is not understood; the only value is none (run"
            + " without authentication), or unset it and set " + ENV_AUTH_FILE);
      }
      b.setAuthNone(true);
    }
    b.setOidcIssuer(e.string(ENV_OIDC_ISSUER))
        .setOidcAudience(e.string(ENV_OIDC_AUDIENCE))
        .setOidcUserClaim(e.string(ENV_OIDC_USER_CLAIM))
        .setOidcRolesClaim(e.string(ENV_OIDC_ROLES_CLAIM))
        .setOidcClient(e.string(ENV_OIDC_CLIENT_ID), e.string(ENV_OIDC_CLIENT_SECRET))
        .setPublicUrl(e.string(ENV_PUBLIC_URL));
    String cors = e.string(ENV_CORS_ORIGINS);
    if (cors != null) {
      b.setCorsOrigins(java.util.Arrays.stream(cors.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    String cert = e.string(ENV_TLS_CERT);
    String key = e.string(ENV_TLS_KEY);
    b.setTls(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key));
    return b.build();
  }
}
