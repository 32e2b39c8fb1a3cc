package dev.ridley.engine.internal.dispatch;

import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.WorkerRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which workers poll which stages, so "stuck because nobody polls" shows per stage. Polls
 * are the hot path: a worker and stage is written to the database at most once per {@link
 * #WRITE_EVERY}, and the rows are shared by every node.
 */
public final class Sightings {

  /** A worker counts as polling a stage if it polled within this window. */
  public static final Duration WINDOW = Duration.ofSeconds(30);
  /** The most often one worker's poll of one stage is written; well inside {@link #WINDOW}. */
  public static final Duration WRITE_EVERY = Duration.ofSeconds(5);
  /** Rows of workers gone longer than this are deleted. */
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  private static final int MAX_REMEMBERED = 10_000;

  private final Db db;
  private final ConcurrentHashMap<String, Long> writtenAt = new ConcurrentHashMap<>();
  private volatile long tidiedAtMillis = Long.MIN_VALUE;

  public Sightings(Db db) {
    this.db = db;
  }

  /** Called on every poll; writes only the stages not written for this worker recently. */
  public void polled(String worker, List<String> stages, Instant now) {
    long t = now.toEpochMilli();
    List<String> due = null;
    for (String stage : stages) {
      String key = worker + "\n" + stage;
      Long last = writtenAt.get(key);
      boolean claim = last == null
          ? writtenAt.putIfAbsent(key, t) == null
          : t - last > WRITE_EVERY.toMillis() && writtenAt.replace(key, last, t);
      if (claim) {
        if (due == null) due = new ArrayList<>(stages.size());
        due.add(stage);
      }
    }
    if (due != null) {
      List<String> write = due;
      try {
        db.tx(c -> {
          WorkerRows.polled(c, worker, write, now);
          return null;
        });
      } catch (RuntimeException e) {
        write.forEach(stage -> writtenAt.remove(worker + "\n" + stage)); // try again next poll
        throw e;
      }
      if (writtenAt.size() > MAX_REMEMBERED) {
        writtenAt.values().removeIf(v -> t - v > WRITE_EVERY.toMillis());
      }
    }
  }

  /** Deletes long-gone workers; the sweeper calls it, and it acts about once a minute. */
  public void tidy(Instant now) {
    long t = now.toEpochMilli();
    if (tidiedAtMillis != Long.MIN_VALUE && t - tidiedAtMillis < Duration.ofMinutes(1).toMillis()) return;
    tidiedAtMillis = t;
    db.tx(c -> WorkerRows.forget(c, now.minus(FORGET_AFTER)));
  }
}
