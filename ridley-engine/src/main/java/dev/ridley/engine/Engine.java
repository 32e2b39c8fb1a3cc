package dev.ridley.engine;

import dev.ridley.engine.pipeline.Pipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Ridley's engine: starts processes, hands tasks to workers, applies their results and routes
 * each process on. Stateless apart from its connection pool; any number of engines may share one
 * database. Its work is split by who asks:
 *
 * <ul>
 *   <li>{@link #processes()}: clients starting processes and asking where they are;
 *   <li>{@link #workers()}: workers claiming tasks and reporting on them;
 *   <li>{@link #operations()}: operators replaying, cancelling, pausing and looking from above;
 *   <li>{@link #brokers()}: the RabbitMQ transport's relay and result consumer.
 * </ul>
 *
 * <pre>{@code
 * Engine engine = Engine.builder(dataSource).pipelines(PipelineLoader.loadDirectory(dir)).build();
 * engine.processes().start("divide", StartRequest.of(payload));
 * }</pre>
 */
public final class Engine implements AutoCloseable {

  private final Processes processes;
  private final WorkerProtocol workers;
  private final Operations operations;
  private final BrokerProtocol brokers;
  private final List<Pipeline> pipelines;
  private final Clock clock;
  private final Consumer<Duration> startSweeper;
  private final Runnable drain;
  private final Runnable close;

  Engine(
      Processes processes,
      WorkerProtocol workers,
      Operations operations,
      BrokerProtocol brokers,
      List<Pipeline> pipelines,
      Clock clock,
      Consumer<Duration> startSweeper,
      Runnable drain,
      Runnable close) {
    this.drain = drain;
    this.processes = processes;
    this.workers = workers;
    this.operations = operations;
    this.brokers = brokers;
    this.pipelines = List.copyOf(pipelines);
    this.clock = clock;
    this.startSweeper = startSweeper;
    this.close = close;
  }

  public static EngineBuilder builder(DataSource dataSource) {
    return new EngineBuilder(dataSource);
  }

  /** Applies the schema migrations to the database; safe to run on every start, on every node. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).load().migrate();
  }

  public Processes processes() {
    return processes;
  }

  public WorkerProtocol workers() {
    return workers;
  }

  public Operations operations() {
    return operations;
  }

  /** The broker transport's side: the outbox relay and the events workers send through the broker. */
  public BrokerProtocol brokers() {
    return brokers;
  }

  /** The loaded pipelines, in the order they were given. */
  public Collection<Pipeline> pipelines() {
    return pipelines;
  }

  /** @throws NotFoundException when no pipeline has that name */
  public Pipeline pipeline(String name) {
    for (Pipeline p : pipelines) {
      if (p.name().equals(name)) return p;
    }
    throw new NotFoundException("pipeline", name, "no pipeline '" + name + "'; loaded pipelines: "
        + String.join(", ", pipelines.stream().map(Pipeline::name).toList()));
  }

  /** The clock every time the engine reads comes from; callers should read "now" from it too. */
  public Clock clock() {
    return clock;
  }

  /** Starts the background sweeper (timers, auto-replays); every server node runs one. */
  public void startSweeper(Duration interval) {
    startSweeper.accept(interval);
  }

  /**
   * The first step of stopping a node: long polls waiting here answer with no tasks at once, and
   * every poll from now on answers with none, so workers take no new work from this node; reports,
   * heartbeats and starts are still taken, so the work in flight can finish. Cannot be undone.
   */
  public void drain() {
    drain.run();
  }

  /**
   * Drains (see {@link #drain()}), then stops the sweeper and the wake-up connections. The
   * connection pool belongs to the caller.
   */
  @Override
  public void close() {
    close.run();
  }
}
