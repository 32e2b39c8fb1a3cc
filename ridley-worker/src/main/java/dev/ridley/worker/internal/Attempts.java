package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks that came from a broker with the same handlers, context and tracing as polled ones;
 * heartbeats and the result go back through the broker ({@link BrokerReplies}).
 */
public final class Attempts {

  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

  private final WorkerSettings settings;
  private final BooleanSupplier forcedStop;

  Attempts(WorkerSettings settings, BooleanSupplier forcedStop) {
    this.settings = settings;
    this.forcedStop = forcedStop;
  }

  /**
   * Runs one delivered task: says it started, runs its handler while heartbeating, sends its
   * result.
   *
   * @return whether the result reached the broker: only then may the delivery be acked
   * @throws IllegalArgumentException when the message is not a task (the delivery should be
   *     rejected, not retried)
   */
  public boolean run(byte[] body, BrokerReplies replies) {
    JsonNode json;
    try {
      json = Json.PROTOCOL.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("a task message that is not JSON: " + e.getMessage(), e);
    }
    PolledTask task = PolledTask.from(json);
    ObjectNode started = Json.object().put("id", task.id().toString()).put("event", "started")
        .put("worker", settings.workerId());
    try {
      replies.send(started);
    } catch (IOException e) {
      LOG.debug("{}: could not say it started ({}); its result says so", task.describe(), e.toString());
    }
    AtomicBoolean sent = new AtomicBoolean();
    new TaskRunner(settings, over(replies, sent), forcedStop).run(task);
    return sent.get();
  }

  private static TaskRunner.Replies over(BrokerReplies replies, AtomicBoolean sent) {
    return new TaskRunner.Replies() {
      @Override
      public TaskRunner.Beat heartbeats(DefaultTaskContext task, Duration interval) {
        CountDownLatch done = new CountDownLatch(1);
        Thread beats = Thread.ofVirtual().name("ridley-heartbeat-" + task.id()).start(() -> {
          try {
            while (!done.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
              try {
                replies.send(Json.object().put("id", task.id().toString()).put("event", "heartbeat"));
              } catch (IOException e) {
                LOG.debug("{}: heartbeat not sent ({})", task, e.toString());
              }
            }
          } catch (InterruptedException e) {
            // the process is going down
          }
        });
        return () -> {
          done.countDown();
          try {
            beats.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
      }

      @Override
      public void send(DefaultTaskContext task, Report report) {
        ObjectNode item = Json.object().put("id", task.id().toString());
        if (report.action().equals("fail")) item.put("outcome", "failed");
        item.setAll(report.body());
        Backoff backoff = new Backoff(Reporter.FIRST_BACKOFF, Reporter.MAX_BACKOFF);
        for (int tries = 1; tries <= Reporter.TRIES; tries++) {
          try {
            replies.sendConfirmed(item);
            sent.set(true);
            return;
          } catch (IOException e) {
            if (tries == Reporter.TRIES) {
              LOG.warn("{}: could not send its {} result to the broker ({}); the task is redelivered",
                  task, report.outcome(), e.toString());
              return;
            }
          }
          try {
            Thread.sleep(backoff.next());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    };
  }
}
