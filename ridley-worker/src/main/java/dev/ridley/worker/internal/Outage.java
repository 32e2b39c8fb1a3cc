package dev.ridley.worker.internal;

import org.slf4j.Logger;
import java.time.Duration;
import java.time.Instant;

/**
 * Logs a failing activity once when it starts failing and once when it works again, so an outage of
 * minutes is two lines, not thousands.
 */
final class Outage {

  private final Logger log;
  private final String activity;
  private int failures;
  private Instant since;

  Outage(Logger log, String activity) {
    this.log = log;
    this.activity = activity;
  }

  synchronized void failed(String reason) {
    if (failures++ == 0) {
      since = Instant.now();
      log.warn(activity + " failing: " + reason + "; retrying with backoff");
    } else {
      log.debug("{} still failing: {}", activity, reason);
    }
  }

  synchronized void recovered() {
    if (failures > 0) {
      Duration took = Duration.between(since, Instant.now());
      log.info(activity + " works again, after " + failures + " failures in " + took.toMillis() + " ms");
      failures = 0;
    }
  }
}
