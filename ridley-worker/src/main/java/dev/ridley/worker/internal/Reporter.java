package dev.ridley.worker.internal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;

/**
 * Sends results. A result is idempotent for its attempt, so a failed send is repeated a few times
 * with backoff; after that, the engine's timers redeliver the task, so giving up loses nothing.
 */
final class Reporter {

  static final int TRIES = 6;
  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

  private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

  private final Transport transport;

  Reporter(Transport transport) {
    this.transport = transport;
  }

  /** Never throws: a result that cannot be delivered is logged, once, and dropped. */
  void send(DefaultTaskContext task, Report report) {
    String path = "/api/v1/tasks/" + task.id() + "/" + report.action();
    Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
    String lastError = null;
    for (int tries = 1; tries <= TRIES; tries++) {
      try {
        Response response = transport.post(path, report.body());
        if (response.isSuccess()) {
          return;
        }
        if (response.isStaleAttempt()) {
          stale(task, report, response);
          return;
        }
        if (!response.isTransient()) {
          LOG.warn(task
                  + ": the server refused its "
                  + report.outcome()
                  + " result ("
                  + response.describe()
                  + "); dropping it");
          return;
        }
        lastError = response.describe();
      } catch (IOException e) {
        lastError = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dropped(task, report, "interrupted");
        return;
      }
      if (tries < TRIES && !sleep(backoff.next())) {
        dropped(task, report, "interrupted while waiting to retry, after " + lastError);
        return;
      }
    }
    dropped(task, report, TRIES + " tries failed, the last with " + lastError);
  }

  private static void stale(DefaultTaskContext task, Report report, Response response) {
    if (task.markAbandoned()) {
      LOG.warn(task
              + ": attempt is no longer current, its "
              + report.outcome()
              + " result was refused ("
              + response.describe()
              + ")");
    } else {
      LOG.debug("{}: abandoned attempt's result refused, as expected", task);
    }
  }

  private static void dropped(DefaultTaskContext task, Report report, String why) {
    LOG.warn(task
            + ": could not report its "
            + report.outcome()
            + " result ("
            + why
            + "); the engine will redeliver the task after its timeout");
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
