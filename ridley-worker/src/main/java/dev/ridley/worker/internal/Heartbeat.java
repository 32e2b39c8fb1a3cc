package dev.ridley.worker.internal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Heartbeats for one running attempt, on its own virtual thread, until the handler returns. */
final class Heartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final DefaultTaskContext task;
  private final Transport transport;
  private final Duration interval;
  private final Outage outage;
  private final CountDownLatch done = new CountDownLatch(1);
  private Thread thread;

  private Heartbeat(
      DefaultTaskContext task, Transport transport, Duration interval, Outage outage) {
    this.task = task;
    this.transport = transport;
    this.interval = interval;
    this.outage = outage;
  }

  static Heartbeat start(
      DefaultTaskContext task, Transport transport, Duration interval, Outage outage) {
    Heartbeat heartbeat = new Heartbeat(task, transport, interval, outage);
    heartbeat.thread =
        Thread.ofVirtual().name("ridley-heartbeat-" + task.id()).start(heartbeat::loop);
    return heartbeat;
  }

  private void loop() {
    String path = "/api/v1/tasks/" + task.id() + "/heartbeat";
    try {
      while (!done.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
        if (task.heartbeatsStopped() || task.isAbandoned() || transport.isClosed()) {
          return;
        }
        try {
          Response response = transport.post(path, Json.object());
          if (response.isSuccess()) {
            outage.recovered();
          } else if (response.isStaleAttempt()) {
            abandon(response);
            return;
          } else {
            outage.failed(response.describe());
          }
        } catch (IOException e) {
          outage.failed(e.toString());
        }
      }
    } catch (InterruptedException e) {
      // Nothing in the SDK interrupts this thread; if something does, the process is going down.
    }
  }

  private void abandon(Response response) {
    if (task.markAbandoned()) {
      LOG.warn(task
              + ": attempt is no longer current ("
              + response.describe()
              + "); abandoning it, no more heartbeats");
    }
  }

  /**
   * Ends the heartbeats and waits for one in flight, so no heartbeat races the result (the server
   * would refuse it as stale and we would log a false alarm).
   */
  void stop() {
    done.countDown();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
