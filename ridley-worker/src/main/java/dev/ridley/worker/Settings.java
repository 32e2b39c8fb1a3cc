package dev.ridley.worker;

import java.time.Duration;

/** Validation shared by the builders, so every setting fails with the same kind of message. */
final class Settings {

  private Settings() {}

  static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
    }
    return value;
  }
}
