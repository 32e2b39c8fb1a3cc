package dev.ridley.engine.internal;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.ridley.engine.ConnectionSupplier;
import dev.ridley.engine.EngineObserver;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.BrokerProtocol;
import dev.ridley.engine.Operations;
import dev.ridley.engine.Processes;
import dev.ridley.engine.WorkerProtocol;
import dev.ridley.engine.internal.dispatch.CrossNodeWakeUps;
import dev.ridley.engine.internal.dispatch.EndWaiters;
import dev.ridley.engine.internal.dispatch.Pauses;
import dev.ridley.engine.internal.dispatch.Sightings;
import dev.ridley.engine.internal.dispatch.StageGate;
import dev.ridley.engine.internal.dispatch.WakeUps;
import dev.ridley.engine.internal.park.AutoReplay;
import dev.ridley.engine.internal.retention.Retention;
import dev.ridley.engine.internal.routing.Checkpoint;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.internal.routing.Observing;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.StageCountRows;
import dev.ridley.engine.internal.sweep.Sweeper;
import dev.ridley.engine.pipeline.Pipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Puts the engine's parts together, once, from the builder's settings. */
public final class Wiring {

  /** One generator for every id: making one per id seeded a SecureRandom each time. */
  private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

  /**
   * What the builder collected, validated.
   *
   * @param checkpoint called between the statements of every transition (tests); NONE otherwise
   * @param listenConnections where LISTEN/NOTIFY connections come from; null: no cross-node wake-ups
   * @param defaultRetention how long ended processes of pipelines without a retention are kept;
   *     null: forever
   */
  public record Settings(
      DataSource dataSource,
      List<Pipeline> pipelines,
      Clock clock,
      Checkpoint checkpoint,
      Duration pollRecheck,
      int groupCommitFlushers,
      boolean groupStarts,
      ConnectionSupplier listenConnections,
      Duration defaultRetention,
      int purgeBatchSize,
      EngineObserver observer) {}

  /** The facades, and the engine's lifecycle. */
  public record Wired(
      Processes processes,
      WorkerProtocol workers,
      Operations operations,
      BrokerProtocol brokers,
      Consumer<Duration> startSweeper,
      Runnable drain,
      Runnable close) {}

  private Wiring() {}

  public static Wired wire(Settings s) {
    Map<String, Pipeline> byName = new LinkedHashMap<>();
    s.pipelines().forEach(p -> byName.put(p.name(), p));
    Db db = new Db(s.dataSource());
    WakeUps wakeUps = new WakeUps();
    EndWaiters endWaiters = new EndWaiters(db, Processes.AWAIT_RECHECK);
    CrossNodeWakeUps crossNode = s.listenConnections() == null
        ? null : new CrossNodeWakeUps(s.listenConnections(), wakeUps::wakeLocal, endWaiters::recheckSoon, s.clock());
    if (crossNode != null) wakeUps.publishTo(crossNode::publish);
    Observing observing = new Observing(s.observer(), id -> {
      endWaiters.ended(id);
      if (crossNode != null) crossNode.publishEnded();
    });
    Transitions transitions = new Transitions(byName, s.clock(), IDS::generate, s.checkpoint(), observing);
    Interventions interventions = new Interventions(transitions);
    Pauses pauses = new Pauses(db, s.clock());
    StageGate gate = new StageGate(s.pipelines(), pauses);
    Sightings sightings = new Sightings(db);
    Parts parts = new Parts(db, transitions, interventions, wakeUps, gate, sightings, s.pollRecheck(), endWaiters);

    Sweeper sweeper = new Sweeper(db, transitions, s.pipelines(), r -> {
      if (r.next() != null || gate.limited(r.task().pipeline(), r.task().stage())) wakeUps.wake();
    }, pauses);
    AutoReplay autoReplay = new AutoReplay(db, transitions, interventions, s.pipelines(), wakeUps::wake);
    sweeper.alsoRun(autoReplay::runOnce);
    sweeper.alsoRun(() -> sightings.tidy(transitions.now()));
    Retention retention =
        new Retention(db, s.pipelines(), s.defaultRetention(), transitions::now, s.purgeBatchSize());
    sweeper.alsoRun(retention::runOnce);
    sweeper.alsoRun(() -> db.tx(StageCountRows::fold));

    Set<String> stageNames = s.pipelines().stream()
        .flatMap(p -> p.stages().stream().map(st -> st.name()))
        .collect(Collectors.toUnmodifiableSet());
    // With a test checkpoint every report runs alone, so the checkpoint sees each one's statements.
    int flushers = s.checkpoint() == Checkpoint.NONE ? s.groupCommitFlushers() : 0;
    ProcessService processes = new ProcessService(parts, s.groupStarts() ? flushers : 0);
    WorkerService workers = new WorkerService(parts, stageNames, flushers);
    BrokerService brokers = new BrokerService(parts, workers, s.pipelines());
    if (brokers.any()) sweeper.alsoRun(brokers::tidy);
    Supplier<List<LoopHealth>> loops = () -> {
      List<LoopHealth> all = new ArrayList<>();
      LoopHealth sweeping = sweeper.health();
      if (sweeping != null) all.add(sweeping);
      if (crossNode != null) all.addAll(crossNode.health());
      return all;
    };
    OperationsService operations = new OperationsService(parts, processes, sweeper, retention, loops);
    Runnable close = () -> {
      wakeUps.drain();
      sweeper.close();
      if (crossNode != null) crossNode.close();
      endWaiters.close();
    };
    return new Wired(processes, workers, operations, brokers, sweeper::start, wakeUps::drain, close);
  }
}
