package dev.ridley.engine.internal.sweep;

import dev.ridley.engine.internal.dispatch.Pauses;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.TimerRows;
import dev.ridley.engine.internal.timer.TimerKind;
import dev.ridley.engine.internal.timer.TimerRules;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers. Runs on every server node; nodes coordinate through the database only: each
 * firing locks the process and task rows and re-checks the timer, so a timer fires once however
 * many nodes see it due.
 */
public final class Sweeper implements AutoCloseable {

  /** Default time between sweeps; timers fire at most this late. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
  private static final int BATCH = 200;
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /** Called after a firing committed, e.g. to wake pollers for a retry. */
  public interface Listener {
    void fired(Transitions.Reported reported);
  }

  private final Db db;
  private final Transitions transitions;
  private final Collection<Pipeline> pipelines;
  private final List<Runnable> extraWork = new ArrayList<>();
  private final Listener listener;
  private final Pauses pauses;
  private volatile Thread thread;
  private volatile boolean failing;

  public Sweeper(Db db, Transitions transitions, Collection<Pipeline> pipelines, Listener listener) {
    this(db, transitions, pipelines, listener, null);
  }

  /**
   * @param pauses the stages' pauses: a paused stage's queued tasks do not fire {@code
   *     enqueueToPoll}; null when nothing is ever paused
   */
  public Sweeper(
      Db db, Transitions transitions, Collection<Pipeline> pipelines, Listener listener, Pauses pauses) {
    this.db = db;
    this.transitions = transitions;
    this.pipelines = List.copyOf(pipelines);
    this.listener = listener;
    this.pauses = pauses;
  }

  /** Adds work to run on every sweep (e.g. auto-replay of parked processes). */
  public void alsoRun(Runnable work) {
    extraWork.add(work);
  }

  /** Fires every timer due now; returns how many fired. */
  public int sweepOnce() {
    AtomicInteger fired = new AtomicInteger();
    Instant now = transitions.now();
    Pauses.Snapshot paused = pauses == null ? null : pauses.current();
    for (Pipeline p : pipelines) {
      for (Stage s : p.stages()) {
        for (TimerKind timer : TimerRules.TASK_TIMERS) {
          Duration limit = TimerRules.limit(s.timeouts(), timer);
          if (limit == null) continue;
          if (timer == TimerKind.ENQUEUE_TO_POLL && heldByPause(paused, p, s, now.minus(limit))) {
            continue;
          }
          List<UUID> due = db.read(c -> TimerRows.dueTasks(c, p.name(), s.name(), timer, now.minus(limit), BATCH));
          for (UUID id : due) {
            Transitions.Reported r = db.tx(c -> transitions.fireTimer(c, id, timer));
            if (r != null) {
              fired.incrementAndGet();
              listener.fired(r);
            }
          }
        }
      }
    }
    for (UUID id : db.read(c -> TimerRows.expiredProcesses(c, now, BATCH))) {
      if (db.tx(c -> transitions.expireProcess(c, id))) fired.incrementAndGet();
    }
    extraWork.forEach(Runnable::run);
    return fired.get();
  }

  /**
   * A paused stage's tasks wait on purpose, so "no worker took it" is not news: enqueueToPoll does
   * not fire while the stage is paused, and after a resume it counts from the resume, not from when
   * the tasks were enqueued (else the whole backlog would time out the moment it was let go).
   */
  private static boolean heldByPause(Pauses.Snapshot paused, Pipeline p, Stage s, Instant cutoff) {
    if (paused == null) return false;
    if (paused.paused(p.name(), s.name())) return true;
    Instant resumed = paused.resumedAt(p.name(), s.name());
    return resumed != null && resumed.isAfter(cutoff);
  }

  /** Sweeps every {@code interval} on a daemon thread until closed. */
  public synchronized void start(Duration interval) {
    if (thread != null) return;
    thread = Thread.ofPlatform().daemon().name("ridley-sweeper").start(() -> loop(interval));
  }

  private void loop(Duration interval) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        sweepOnce();
        if (failing) {
          log.info("sweeper recovered: the database answers again");
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("sweep failed, will retry every {} ms: {}", interval.toMillis(), e.getMessage());
          failing = true;
        }
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void close() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
