package dev.ridley.server.auth;

import dev.ridley.engine.RidleyException;

/** A key file or identity provider setting that cannot be used; the message names it and the fix. */
public final class AuthConfigException extends RidleyException {

  public AuthConfigException(String message) {
    super(message);
  }

  public AuthConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
