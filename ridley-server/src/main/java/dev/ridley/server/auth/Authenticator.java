package dev.ridley.server.auth;

/** One way of knowing a caller from its bearer credential: API keys, or OIDC tokens. */
public interface Authenticator {

  /**
   * The caller this credential proves, or null when it proves nobody (unknown key, bad
   * signature, expired token). Logs a refused attempt with what it knows of the principal, never
   * the credential.
   */
  Principal authenticate(String credential);
}
