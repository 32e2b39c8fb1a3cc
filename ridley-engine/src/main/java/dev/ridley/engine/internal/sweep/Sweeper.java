package dev.ridley.engine.internal.sweep;

import dev.ridley.engine.ProcessView;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.LoopWatch;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fires due timers. Runs on every server node; nodes coordinate through the database only: each
 * firing locks the process and task rows and re-checks the timer, so a timer fires once however
 * many nodes see it due.
 */
public final class Sweeper implements AutoCloseable {

  /** Default time between sweeps; timers fire at most this late. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
  /** The most due timers one transaction claims and fires. */
  static final int BATCH = 200;
  /** The longest wait between two sweeps while they keep failing. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /**
   * The longest a stage's timer goes unlooked-at after a sweep worked out that it cannot fall due
   * sooner: a bound on anything that reasoning missed (a transaction open for longer than
   * {@link #IN_FLIGHT}, a node whose clock is behind).
   */
  static final Duration MAX_SKIP = Duration.ofSeconds(10);
  /**
   * Room for attempts whose clock started before a sweep looked but which it could not see yet
   * (their transaction had not committed): they are assumed to have started up to this long ago.
   */
  static final Duration IN_FLIGHT = Duration.ofSeconds(1);

  /** Called after a firing committed, e.g. to wake pollers for a retry. */
  public interface Listener {
    void fired(Transitions.Reported reported);
  }

  private final Db db;
  private final Transitions transitions;
  private final Collection<Pipeline> pipelines;
  private final List<Runnable> extraWork = new CopyOnWriteArrayList<>();
  private final Listener listener;
  private final Pauses pauses;
  private volatile Thread thread;
  private final LoopWatch watch;
  /** When each (pipeline, stage, timer) may next have something due; absent: look at the next sweep. */
  private final Map<Watched, Instant> nextLook = new ConcurrentHashMap<>();

  /** One timer of one stage. */
  private record Watched(String pipeline, String stage, TimerKind timer) {}

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
    this.watch = new LoopWatch("sweeper", transitions.clock());
  }

  /** Adds work to run on every sweep (e.g. auto-replay of parked processes). */
  public void alsoRun(Runnable work) {
    extraWork.add(work);
  }

  /**
   * Fires every timer due now; returns how many fired (here; other nodes' sweeps share the work).
   * Due work is claimed in batches of at most {@link #BATCH}, oldest due first, each batch one
   * transaction that locks its processes with {@code SKIP LOCKED}: two nodes sweeping at once take
   * different batches instead of waiting on each other's locks, and a timer fires once however
   * many nodes see it, because the firing re-checks it on the locked rows.
   */
  public int sweepOnce() {
    int fired = 0;
    Instant now = transitions.now();
    Pauses.Snapshot paused = pauses == null ? null : pauses.current();
    for (Pipeline p : pipelines) {
      for (Stage s : p.stages()) {
        for (TimerKind timer : TimerRules.TASK_TIMERS) {
          Duration limit = TimerRules.limit(s.timeouts(), timer);
          if (limit == null) continue;
          Instant cutoff = now.minus(limit);
          if (timer == TimerKind.ENQUEUE_TO_POLL && heldByPause(paused, p, s, cutoff)) {
            continue;
          }
          Watched watched = new Watched(p.name(), s.name(), timer);
          Instant next = nextLook.get(watched);
          if (next != null && now.isBefore(next)) continue;
          fired += fireDue(p, s, timer, cutoff);
          nextLook.put(watched, nextLook(p, s, timer, limit, now));
        }
      }
    }
    fired += expireDue(now);
    extraWork.forEach(Runnable::run);
    return fired;
  }

  /** Fires one stage's due {@code timer}, batch by batch, until a batch comes back short. */
  private int fireDue(Pipeline p, Stage s, TimerKind timer, Instant cutoff) {
    int fired = 0;
    TimerRows.Due after = null;
    while (true) {
      TimerRows.Due from = after;
      Batch batch = db.tx(c -> {
        List<TimerRows.Due> due = TimerRows.claimDueTasks(c, p.name(), s.name(), timer, cutoff, from, BATCH);
        List<Transitions.Reported> done =
            transitions.timers().fireTimers(c, due.stream().map(TimerRows.Due::id).toList(), timer);
        return new Batch(due, done);
      });
      for (Transitions.Reported r : batch.fired()) {
        transitions.observing().timer(r.task().pipeline(), r.task().stage(), timer.key());
        transitions.observing().ended(r.task(), r.process());
        listener.fired(r);
      }
      fired += batch.fired().size();
      if (batch.claimed().size() < BATCH) return fired;
      after = batch.claimed().getLast();
    }
  }

  /**
   * When this stage's {@code timer} can next fall due, after a sweep fired what was due at {@code
   * now}: the oldest watched attempt's start plus the limit, since every later attempt starts its
   * clock later (a claim, a heartbeat, a new task all stamp the time they happen). Attempts not yet
   * committed are covered by {@link #IN_FLIGHT}, anything else by {@link #MAX_SKIP}. Without it,
   * every node ran one query per stage and timer every sweep, a five-minute {@code pollToEnd}
   * included, whether or not anything could be due.
   */
  private Instant nextLook(Pipeline p, Stage s, TimerKind timer, Duration limit, Instant now) {
    Instant earliest = db.tx(c -> TimerRows.earliestSince(c, p.name(), s.name(), timer));
    Instant next = now.plus(limit).minus(IN_FLIGHT);
    if (earliest != null && earliest.plus(limit).isBefore(next)) next = earliest.plus(limit);
    Instant bound = now.plus(MAX_SKIP);
    return next.isAfter(bound) ? bound : next;
  }

  /** Ends the processes past their deadline, batch by batch, like {@link #fireDue}. */
  private int expireDue(Instant now) {
    int expired = 0;
    TimerRows.Due after = null;
    while (true) {
      TimerRows.Due from = after;
      Batch batch = db.tx(c -> {
        List<TimerRows.Due> due = TimerRows.claimExpiredProcesses(c, now, from, BATCH);
        List<Transitions.Reported> lost = new ArrayList<>();
        for (TimerRows.Due d : due) {
          ProcessView p = transitions.timers().expireProcess(c, d.id());
          if (p != null) lost.add(new Transitions.Reported(null, p, null));
        }
        return new Batch(due, lost);
      });
      for (Transitions.Reported r : batch.fired()) {
        transitions.observing().timer(r.process().pipeline(), r.process().lastSeen().stage(), TimerKind.PROCESS.key());
        transitions.observing().processMoved(r.process());
      }
      expired += batch.fired().size();
      if (batch.claimed().size() < BATCH) return expired;
      after = batch.claimed().getLast();
    }
  }

  /** What one batch claimed, and what of it fired. */
  private record Batch(List<TimerRows.Due> claimed, List<Transitions.Reported> fired) {}

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

  /** The background loop's state; null while it is not running (sweeps are then called by hand). */
  public LoopHealth health() {
    return thread == null ? null : watch.health();
  }

  /**
   * Sweeps until closed. Whatever a sweep throws, an {@link Error} included, is logged (once per
   * failure streak) and the loop goes on after a back-off of up to {@link #MAX_BACKOFF}: a timer
   * that did not fire is still due at the next sweep.
   */
  private void loop(Duration interval) {
    Duration max = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        sweepOnce();
        watch.succeeded();
      } catch (Throwable t) {
        if (Thread.currentThread().isInterrupted()) return; // closing
        watch.failed(t);
      }
      try {
        Thread.sleep(watch.backoff(interval, max));
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
