package dev.ridley.server.config;

import dev.ridley.engine.RidleyException;

/** The configuration is invalid; the message names the variable and the fix. */
public final class ConfigException extends RidleyException {

  public ConfigException(String message) {
    super(message);
  }
}
