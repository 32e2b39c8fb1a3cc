package dev.ridley.engine;

import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.internal.routing.Checkpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Builds an {@link Engine}: {@code Engine.builder(dataSource)...build()}; every setting has a named default. */
public final class EngineBuilder {
  final DataSource dataSource;
  Map<String, Pipeline> pipelines = Map.of();
  Clock clock = Clock.systemUTC();
  Checkpoint checkpoint = Checkpoint.NONE;
  Duration pollRecheck = Engine.DEFAULT_POLL_RECHECK;
  int groupCommitFlushers = Engine.DEFAULT_GROUP_COMMIT_FLUSHERS;
  boolean crossNodeWakeUps = true;

  EngineBuilder(DataSource dataSource) {
    if (dataSource == null) {
      throw new IllegalArgumentException("an engine needs a DataSource");
    }
    this.dataSource = dataSource;
  }

  public EngineBuilder pipelines(Collection<Pipeline> list) {
    Map<String, Pipeline> byName = new LinkedHashMap<>();
    for (Pipeline p : list) {
      if (byName.put(p.name(), p) != null) {
        throw new IllegalArgumentException("two pipelines are named '" + p.name() + "'");
      }
    }
    this.pipelines = byName;
    return this;
  }

  public EngineBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** For tests: called between the statements of every transition. */
  public EngineBuilder checkpoint(Checkpoint checkpoint) {
    this.checkpoint = checkpoint;
    return this;
  }

  public EngineBuilder pollRecheck(Duration every) {
    if (every.toMillis() < 10) {
      throw new IllegalArgumentException("pollRecheck must be at least 10ms, was " + every.toMillis() + "ms");
    }
    this.pollRecheck = every;
    return this;
  }

  /**
   * How many batches of gathered single reports may commit at once, each on its own
   * connection; keep it well below the pool size. Default {@value Engine#DEFAULT_GROUP_COMMIT_FLUSHERS}.
   */
  public EngineBuilder groupCommitFlushers(int flushers) {
    if (flushers < 1) {
      throw new IllegalArgumentException("groupCommitFlushers must be at least 1, was " + flushers);
    }
    this.groupCommitFlushers = flushers;
    return this;
  }

  /**
   * Whether wake-ups travel between nodes by LISTEN/NOTIFY (default on). Off, a worker polling
   * one node sees tasks queued through another within the poll recheck instead.
   */
  public EngineBuilder crossNodeWakeUps(boolean on) {
    this.crossNodeWakeUps = on;
    return this;
  }

  public Engine build() {
    return new Engine(this);
  }
}
