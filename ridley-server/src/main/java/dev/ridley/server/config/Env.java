package dev.ridley.server.config;

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
}
