package dev.ridley.engine;

import dev.ridley.engine.internal.Wiring;
import dev.ridley.engine.internal.retention.Retention;
import dev.ridley.engine.internal.routing.Checkpoint;
import dev.ridley.engine.pipeline.Pipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Builds an {@link Engine}: {@code Engine.builder(dataSource)...build()}. The one place where the
 * engine's parts are put together; every setting has a named default, and a wrong value is refused
 * here with what to do instead.
 */
public final class EngineBuilder {

  /** How often a long-polling worker looks again even without a wake-up (work from other nodes). */
  public static final Duration DEFAULT_POLL_RECHECK = Duration.ofMillis(250);
  /** Batches of gathered single reports that may commit at once. */
  public static final int DEFAULT_GROUP_COMMIT_FLUSHERS = 4;

  private final DataSource dataSource;
  private List<Pipeline> pipelines = List.of();
  private Clock clock = Clock.systemUTC();
  private Checkpoint checkpoint = Checkpoint.NONE;
  private Duration pollRecheck = DEFAULT_POLL_RECHECK;
  private int groupCommitFlushers = DEFAULT_GROUP_COMMIT_FLUSHERS;
  private boolean crossNodeWakeUps = true;
  private boolean groupStarts = true;
  private ConnectionSupplier listenConnections;
  private EngineObserver observer = EngineObserver.NONE;
  private Duration defaultRetention;
  private int purgeBatchSize = Retention.DEFAULT_BATCH_SIZE;

  EngineBuilder(DataSource dataSource) {
    if (dataSource == null) {
      throw new IllegalArgumentException("an engine needs a DataSource");
    }
    this.dataSource = dataSource;
  }

  /** The pipelines this engine runs; names must be unique. Default: none. */
  public EngineBuilder pipelines(Collection<Pipeline> list) {
    Set<String> names = new HashSet<>();
    for (Pipeline p : list) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two pipelines are named '" + p.name() + "'");
      }
    }
    this.pipelines = List.copyOf(new ArrayList<>(list));
    return this;
  }

  /** Where every time the engine reads comes from. Default: the system clock, in UTC. */
  public EngineBuilder clock(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null; leave it unset for the system clock");
    }
    this.clock = clock;
    return this;
  }

  /** For tests in this package: called between the statements of every transition. */
  EngineBuilder checkpoint(Checkpoint checkpoint) {
    this.checkpoint = checkpoint;
    return this;
  }

  /** How often a long poll looks again without a wake-up. Default {@link #DEFAULT_POLL_RECHECK}; at least 10 ms. */
  public EngineBuilder pollRecheck(Duration every) {
    if (every.toMillis() < 10) {
      throw new IllegalArgumentException("pollRecheck must be at least 10ms, was " + every.toMillis() + "ms");
    }
    this.pollRecheck = every;
    return this;
  }

  /**
   * How many batches of gathered single reports may commit at once, each on its own connection,
   * and as many batches of gathered single starts (a group commit of their own): up to twice this
   * many connections in all, so keep it well below half the pool size. Default {@value
   * #DEFAULT_GROUP_COMMIT_FLUSHERS}.
   */
  public EngineBuilder groupCommitFlushers(int flushers) {
    if (flushers < 1) {
      throw new IllegalArgumentException("groupCommitFlushers must be at least 1, was " + flushers);
    }
    this.groupCommitFlushers = flushers;
    return this;
  }

  /**
   * Whether concurrent single starts share commits (default on), as single reports do: under load
   * one transaction carries many starts, each answered after it committed. Off, every start is a
   * transaction of its own (to measure what grouping gains).
   */
  public EngineBuilder groupStarts(boolean on) {
    this.groupStarts = on;
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

  /** Told what committed changes did, e.g. for metrics. Default {@link EngineObserver#NONE}. */
  public EngineBuilder observer(EngineObserver observer) {
    this.observer = observer == null ? EngineObserver.NONE : observer;
    return this;
  }

  /**
   * Where the two long-held LISTEN/NOTIFY connections come from. Default: borrowed from the
   * engine's DataSource and held; give connections from outside the pool when it is small.
   */
  public EngineBuilder listenConnections(ConnectionSupplier supplier) {
    this.listenConnections = supplier;
    return this;
  }

  /**
   * How long an ended process (SUCCEEDED, FAILED, CANCELLED, LOST) is kept, counted from when it
   * ended, before it is deleted with its tasks and journal, for pipelines whose file has no {@code
   * retention} key (a pipeline's own key wins, {@code retention: forever} included). Parked and
   * running processes are never deleted. Default: null, ended processes are kept forever. At least
   * one second.
   */
  public EngineBuilder defaultRetention(Duration retention) {
    if (retention != null && retention.compareTo(Pipeline.MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("defaultRetention must be at least 1s, was " + retention.toMillis()
          + "ms; leave it unset (null) to keep ended processes forever");
    }
    this.defaultRetention = retention;
    return this;
  }

  /** For tests in this package: processes deleted per retention transaction. */
  EngineBuilder purgeBatchSize(int size) {
    if (size < 1) throw new IllegalArgumentException("purgeBatchSize must be at least 1, was " + size);
    this.purgeBatchSize = size;
    return this;
  }

  public Engine build() {
    ConnectionSupplier listen = !crossNodeWakeUps ? null
        : listenConnections != null ? listenConnections : dataSource::getConnection;
    Wiring.Wired w = Wiring.wire(new Wiring.Settings(
        dataSource, pipelines, clock, checkpoint, pollRecheck, groupCommitFlushers, groupStarts, listen,
        defaultRetention, purgeBatchSize, observer));
    return new Engine(w.processes(), w.workers(), w.operations(), w.brokers(), pipelines, clock, w.startSweeper(), w.drain(), w.close());
  }
}
