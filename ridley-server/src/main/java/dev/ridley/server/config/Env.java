package dev.ridley.server.config;

import java.util.Map;

/** Typed reads of environment variables that fail with the variable's name and the fix. */
final class Env {

  private final Map<String, String> env;

  Env(Map<String, String> env) {
    this.env = env;
  }

  String string(String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  int port(String name, int fallback) {
    long v = positiveLong(name, fallback);
    if (v > 65535) {
      throw new ConfigException(name + "=" + env.get(name) + " is not a TCP port; use 1-65535");
    }
    return (int) v;
  }

  long positiveLong(String name, long fallback) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
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
