package dev.ridley.server.loop;

import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.LoopWatch;
import java.time.Clock;
import java.time.Duration;

/**
 * A background loop of the server (the Eliot log, the OTLP export, webhook delivery, the stage
 * gauges), watched for {@code /health}: it runs a round every {@code every}, again at once while a
 * round says there is more to do, and after a failure backs off up to {@code maxBackoff}. Whatever
 * a round throws, an {@link Error} included, is logged once per failure streak by its {@link
 * LoopWatch} and the loop goes on; only {@link #close()} ends it.
 */
public final class WatchedLoop implements AutoCloseable {

  /** One round of work. */
  @FunctionalInterface
  public interface Round {
    /** Does one round; true when there is more to do at once (a full batch), false to wait. */
    boolean run() throws Exception;
  }

  private final LoopWatch watch;
  private final Thread thread;

  private WatchedLoop(String name, Clock clock, String threadName, Duration every, Duration maxBackoff, Round round) {
    this.watch = new LoopWatch(name, clock);
    Duration max = every.compareTo(maxBackoff) > 0 ? every : maxBackoff;
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(() -> loop(round, every, max));
  }

  /**
   * Starts the loop on a daemon thread of its own.
   *
   * @param name the loop's name in {@code /health}
   * @param clock the engine's clock, for the watch's times
   */
  public static WatchedLoop start(String name, Clock clock, String threadName, Duration every, Duration maxBackoff,
      Round round) {
    return new WatchedLoop(name, clock, threadName, every, maxBackoff, round);
  }

  private void loop(Round round, Duration every, Duration max) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        while (round.run()) {
          if (Thread.currentThread().isInterrupted()) return;
        }
        watch.succeeded();
      } catch (InterruptedException e) {
        return; // closing
      } catch (Throwable t) {
        if (Thread.currentThread().isInterrupted()) return; // closing
        watch.failed(t);
      }
      try {
        Thread.sleep(watch.backoff(every, max));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The loop's state, for {@code /health}. */
  public LoopHealth health() {
    return watch.health();
  }

  /** Stops the loop: interrupts the round in progress and waits up to 5 s for it to end. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
