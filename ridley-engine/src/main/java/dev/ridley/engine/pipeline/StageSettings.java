package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The settings a stage or the pipeline's {@code defaults} spell out, each field null (or {@link
 * Timeouts#UNSET}) when the file leaves it out, so that a stage's values win field by field over
 * the defaults, and the defaults over the engine's.
 */
record StageSettings(Timeouts timeouts, RetrySettings retry, Integer maxInFlight, Transport transport) {

  static final List<String> KEYS = List.of("retry", "timeouts", "maxInFlight", "transport");
  static final List<String> TIMEOUT_KEYS =
      List.of("enqueueToPoll", "pollToEnd", "enqueueToEnd", "heartbeat");
  static final List<String> RETRY_KEYS =
      List.of("attempts", "backoff", "multiplier", "maxBackoff", "nonRetryable");

  static final StageSettings NONE = new StageSettings(Timeouts.UNSET, RetrySettings.NONE, null, null);

  /** Reads a mapping with {@link #KEYS}: a stage, or the pipeline's defaults. */
  static StageSettings read(YamlMap map) {
    Timeouts timeouts = Timeouts.UNSET;
    if (map.has("timeouts")) {
      YamlMap t = map.map("timeouts", TIMEOUT_KEYS);
      timeouts =
          new Timeouts(
              t.duration("enqueueToPoll", false).orElse(null),
              t.duration("pollToEnd", false).orElse(null),
              t.duration("enqueueToEnd", false).orElse(null),
              t.duration("heartbeat", false).orElse(null));
    }
    RetrySettings retry = RetrySettings.NONE;
    if (map.has("retry")) {
      YamlMap r = map.map("retry", RETRY_KEYS);
      retry =
          new RetrySettings(
              r.integer("attempts", 1).orElse(null),
              r.duration("backoff", true).orElse(null),
              r.number("multiplier", 1.0).orElse(null),
              r.duration("maxBackoff", true).orElse(null),
              r.strings("nonRetryable", "an error type name").orElse(null));
    }
    return new StageSettings(timeouts, retry, map.integer("maxInFlight", 0).orElse(null), transport(map));
  }

  /** {@code transport: http} or {@code transport: amqp}; null when the mapping leaves it out. */
  static Transport transport(YamlMap map) {
    if (!map.has("transport")) return null;
    String key = map.string("transport").orElseThrow();
    Transport t = Transport.parse(key);
    if (t == null) {
      throw map.error("transport", "'" + key + "' is not a transport; write 'transport: http' (the default,"
          + " workers poll over HTTP) or 'transport: amqp' (tasks go through RabbitMQ, RIDLEY_AMQP_URL)");
    }
    return t;
  }

  /** These settings, each falling back to {@code defaults} where unset here. */
  StageSettings orElse(StageSettings defaults) {
    return new StageSettings(
        timeouts.orElse(defaults.timeouts),
        retry.orElse(defaults.retry),
        maxInFlight != null ? maxInFlight : defaults.maxInFlight,
        transport != null ? transport : defaults.transport);
  }

  Stage toStage(String name) {
    return new Stage(
        name,
        timeouts.orElse(Timeouts.DEFAULTS),
        retry.toPolicy(),
        maxInFlight != null ? maxInFlight : 0,
        transport);
  }

  record RetrySettings(
      Integer attempts,
      Duration backoff,
      Double multiplier,
      Duration maxBackoff,
      List<String> nonRetryable) {

    static final RetrySettings NONE = new RetrySettings(null, null, null, null, null);

    RetrySettings orElse(RetrySettings d) {
      return new RetrySettings(
          attempts != null ? attempts : d.attempts,
          backoff != null ? backoff : d.backoff,
          multiplier != null ? multiplier : d.multiplier,
          maxBackoff != null ? maxBackoff : d.maxBackoff,
          nonRetryable != null ? nonRetryable : d.nonRetryable);
    }

    RetryPolicy toPolicy() {
      RetryPolicy none = RetryPolicy.NONE;
      return new RetryPolicy(
          attempts != null ? attempts : none.attempts(),
          backoff != null ? backoff : none.backoff(),
          multiplier != null ? multiplier : none.multiplier(),
          maxBackoff != null ? maxBackoff : none.maxBackoff(),
          nonRetryable != null ? Set.copyOf(nonRetryable) : none.nonRetryable());
    }
  }
}
