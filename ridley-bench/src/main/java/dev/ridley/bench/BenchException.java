package dev.ridley.bench;

/** A benchmark could not run, or its result failed validation; the message says which and why. */
final class BenchException extends RuntimeException {

  BenchException(String message) {
    super(message);
  }

  BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
