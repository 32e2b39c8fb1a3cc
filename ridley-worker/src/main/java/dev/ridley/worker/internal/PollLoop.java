package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The one long-poll loop of a worker: it asks for as many tasks as it has free slots, and hands
 * each task to its own virtual thread. A slot is taken before the poll and given back when the
 * task's result is reported, so the handlers in flight never exceed the concurrency.
 */
final class PollLoop implements Runnable {

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

  private final WorkerSettings settings;
  private final Transport transport;
  private final Semaphore slots;
  private final ExecutorService handlers;
  private final TaskRunner runner;
  private final Outage outage;
  private final List<String> stages;
  private volatile boolean running = true;
  private volatile dev.ridley.worker.RidleyClientException refusal;

  PollLoop(
      WorkerSettings settings,
      Transport transport,
      Semaphore slots,
      ExecutorService handlers,
      TaskRunner runner,
      List<String> stages) {
    this.settings = settings;
    this.transport = transport;
    this.slots = slots;
    this.handlers = handlers;
    this.runner = runner;
    this.outage = new Outage(LOG, "polling " + transport.base());
    this.stages = stages.stream().sorted().toList();
  }

  /** Ends the loop after the current poll; the caller interrupts it to end that poll early. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
    while (running) {
      int reserved;
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        return;
      }
      reserved = 1 + slots.drainPermits();
      List<PolledTask> tasks;
      try {
        tasks = poll(reserved);
        outage.recovered();
        backoff.reset();
      } catch (InterruptedException e) {
        slots.release(reserved);
        return;
      } catch (Forbidden e) {
        slots.release(reserved);
        refusal = e.exception;
        running = false;
        LOG.error("the server refused this worker's polls, and will go on refusing them; polling stopped: "
            + e.exception.getMessage());
        return;
      } catch (IOException | PollRefused e) {
        slots.release(reserved);
        outage.failed(e instanceof PollRefused ? e.getMessage() : e.toString());
        try {
          Thread.sleep(backoff.next());
        } catch (InterruptedException stop) {
          return;
        }
        continue;
      }
      dispatch(tasks, reserved);
    }
  }

  /** The refusal that stopped the loop (401 or 403), or null. */
  dev.ridley.worker.RidleyClientException refusal() {
    return refusal;
  }

  private List<PolledTask> poll(int max) throws IOException, InterruptedException, PollRefused, Forbidden {
    ObjectNode body = Json.object();
    body.put("worker", settings.workerId());
    stages.forEach(body.putArray("stages")::add);
    body.put("max", max);
    body.put("waitMs", settings.pollWait().toMillis());
    // The server may hold the poll for pollWait before it even starts answering.
    Duration timeout = settings.pollWait().plus(settings.requestTimeout());
    Response response = transport.post("/api/v1/tasks/poll", body, timeout);
    if (response.status() == 401 || response.status() == 403) {
      throw new Forbidden(response.toException());
    }
    if (!response.isSuccess() || !response.body().path("tasks").isArray()) {
      throw new PollRefused(response.describe());
    }
    List<PolledTask> tasks = new ArrayList<>();
    for (JsonNode node : response.body().get("tasks")) {
      try {
        tasks.add(PolledTask.from(node));
      } catch (IllegalArgumentException e) {
        LOG.error("cannot read a task the server handed out ("
                + e.getMessage()
                + "); it will time out and be redelivered: "
                + node);
      }
    }
    return tasks;
  }

  /** Tasks in hand are always run, even when close began meanwhile: they are already claimed. */
  private void dispatch(List<PolledTask> tasks, int reserved) {
    int used = Math.min(tasks.size(), reserved);
    slots.release(reserved - used);
    if (tasks.size() > reserved) {
      LOG.warn("the server handed out "
              + tasks.size()
              + " tasks for max "
              + reserved
              + "; running them all");
    }
    for (int i = 0; i < tasks.size(); i++) {
      PolledTask task = tasks.get(i);
      boolean holdsSlot = i < used;
      handlers.execute(
          () -> {
            try {
              runner.run(task);
            } finally {
              if (holdsSlot) {
                slots.release();
              }
            }
          });
    }
  }

  /** The server refused who the worker is or what it asked for: retrying will not help. */
  private static final class Forbidden extends Exception {
    final dev.ridley.worker.RidleyClientException exception;

    Forbidden(dev.ridley.worker.RidleyClientException exception) {
      super(exception.getMessage(), null, false, false);
      this.exception = exception;
    }
  }

  /** The server answered the poll with an error or with something that is not a task list. */
  private static final class PollRefused extends Exception {
    PollRefused(String message) {
      super(message, null, false, false);
    }
  }
}
