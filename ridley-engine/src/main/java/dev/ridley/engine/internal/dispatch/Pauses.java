package dev.ridley.engine.internal.dispatch;

import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.PauseRows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which stages are paused. The database holds the truth so every node sees a pause; each node
 * keeps a copy that is at most {@link #REFRESH} old, so that a poll of a stage nobody paused costs
 * no statement. A pause takes effect at once on the node that received it, and within {@link
 * #REFRESH} on the others.
 */
public final class Pauses {

  /** The most a node's view of the pauses lags behind the database. */
  public static final Duration REFRESH = Duration.ofSeconds(1);

  /** The pause state of every stage that was ever paused, keyed by {@code pipeline/stage}. */
  public record Snapshot(Map<String, PauseRows.Row> rows, boolean anyPaused, long loadedAtMillis) {

    public boolean paused(String pipeline, String stage) {
      PauseRows.Row r = rows.get(pipeline + "/" + stage);
      return r != null && r.paused();
    }

    /** When the stage was last resumed; null when it is paused now or never was. */
    public Instant resumedAt(String pipeline, String stage) {
      PauseRows.Row r = rows.get(pipeline + "/" + stage);
      return r == null || r.paused() ? null : r.changedAt();
    }
  }

  private final Db db;
  private final Clock clock;
  private final AtomicBoolean loading = new AtomicBoolean();
  private volatile Snapshot snapshot;

  public Pauses(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * The current pauses. When the copy is older than {@link #REFRESH}, one caller reloads it while
   * the others go on with the old copy rather than queue behind the database.
   */
  public Snapshot current() {
    Snapshot s = snapshot;
    if (s == null) {
      synchronized (this) {
        return snapshot != null ? snapshot : reload();
      }
    }
    if (clock.millis() - s.loadedAtMillis() > REFRESH.toMillis() && loading.compareAndSet(false, true)) {
      try {
        return reload();
      } finally {
        loading.set(false);
      }
    }
    return s;
  }

  /** Pauses or resumes the stages of a pipeline, for every node. */
  public void set(String pipeline, List<String> stages, boolean paused, Instant now, String by) {
    db.tx(
        c -> {
          PauseRows.set(c, pipeline, stages, paused, now, by);
          return null;
        });
    reload();
  }

  private Snapshot reload() {
    List<PauseRows.Row> rows = db.read(PauseRows::all);
    Map<String, PauseRows.Row> byKey = new HashMap<>();
    boolean any = false;
    for (PauseRows.Row r : rows) {
      byKey.put(r.pipeline() + "/" + r.stage(), r);
      any |= r.paused();
    }
    Snapshot s = new Snapshot(Map.copyOf(byKey), any, clock.millis());
    snapshot = s;
    return s;
  }
}
