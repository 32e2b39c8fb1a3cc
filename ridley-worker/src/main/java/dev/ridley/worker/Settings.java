package dev.ridley.worker;

import java.time.Duration;

/** Validation shared by the builders, so every setting fails with the same kind of message. */
final class Settings {

  private Settings() {}

  /** The credential of an API key: the key itself for every request; refused when blank. */
  static java.util.function.Supplier<String> apiKey(String apiKey) {
    java.util.Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
    return () -> apiKey;
  }

  static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
    }
    return value;
  }
}
