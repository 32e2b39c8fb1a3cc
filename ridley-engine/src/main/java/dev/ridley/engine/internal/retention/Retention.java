package dev.ridley.engine.internal.retention;

import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.RetentionRows;
import dev.ridley.engine.pipeline.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes ended processes (succeeded, failed, cancelled, lost) with their tasks and journal once
 * they ended longer ago than their pipeline's retention. Parked and running processes are never
 * deleted. Runs on every node from the sweeper; the rows are locked with {@code SKIP LOCKED}, so
 * nodes share the work instead of fighting over it.
 *
 * <p>Every batch is its own transaction of at most {@code batchSize} processes, so no transaction
 * holds many locks or runs long. A background run does at most {@link #BATCHES_PER_RUN} batches
 * per pipeline and leaves the rest of a backlog to the next sweep, so a first run over a large
 * backlog does not crowd out the sweeper's timers.
 *
 * <p>Only the pipelines this engine runs are purged: the processes of a pipeline no node loads
 * any more are kept (another node, or a later version, may still declare their retention).
 */
public final class Retention {

  /** Processes deleted per transaction. */
  public static final int DEFAULT_BATCH_SIZE = 500;
  /** Batches per pipeline in one background run; the rest waits for the next sweep. */
  public static final int BATCHES_PER_RUN = 4;

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final Db db;
  private final Map<String, Duration> retentionByPipeline = new LinkedHashMap<>();
  private final Supplier<Instant> now;
  private final int batchSize;

  /**
   * @param defaultRetention for pipelines that declare none; null: keep their processes forever
   */
  public Retention(
      Db db, Collection<Pipeline> pipelines, Duration defaultRetention, Supplier<Instant> now, int batchSize) {
    this.db = db;
    this.now = now;
    this.batchSize = batchSize;
    for (Pipeline p : pipelines) {
      Duration r = p.retention() != null ? p.retention() : defaultRetention;
      if (r != null && !r.equals(Pipeline.KEEP_FOREVER)) retentionByPipeline.put(p.name(), r);
    }
  }

  /** Deletes every process past its retention, batch after batch; returns how many. */
  public int purgeAll() {
    return purge(Integer.MAX_VALUE);
  }

  /** The sweeper's share: a few batches per pipeline; a larger backlog goes on at the next sweep. */
  public void runOnce() {
    int deleted = purge(BATCHES_PER_RUN);
    if (deleted > 0) log.debug("retention deleted {} ended processes", deleted);
  }

  private int purge(int maxBatches) {
    Instant at = now.get();
    int deleted = 0;
    for (Map.Entry<String, Duration> e : retentionByPipeline.entrySet()) {
      Instant endedBefore = at.minus(e.getValue());
      for (int batch = 0; batch < maxBatches; batch++) {
        int n = db.tx(c -> RetentionRows.deleteEnded(c, e.getKey(), endedBefore, batchSize));
        deleted += n;
        if (n < batchSize) break;
      }
    }
    return deleted;
  }
}
