package dev.ridley.server.metrics;

import dev.ridley.engine.Engine;
import dev.ridley.engine.NotificationCounts;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.StageCounts;
import dev.ridley.engine.WorkerSeen;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.server.loop.WatchedLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges read from the database: queued and running tasks, the oldest queued task and the workers
 * seen, per pipeline and stage, and the notifications pending and dead. One thread reads them every
 * {@link #EVERY} for all stages at once; a scrape only reads the last values, so scraping costs the
 * database nothing and every node shows the same figures.
 */
public final class StageGauges implements AutoCloseable {

  /** How often the gauges are read from the database. */
  public static final Duration EVERY = Duration.ofSeconds(5);

  /** The last reading of one stage. */
  private record Reading(double queued, double running, double oldestQueuedSeconds, double workers) {
    static final Reading NONE = new Reading(0, 0, 0, 0);
  }

  private final Engine engine;
  private final Map<String, AtomicReference<Reading>> readings = new ConcurrentHashMap<>();
  private final AtomicReference<NotificationCounts> notifications = new AtomicReference<>(new NotificationCounts(0, 0));
  private final WatchedLoop loop;

  public StageGauges(Engine engine, MeterRegistry registry) {
    this.engine = engine;
    for (Pipeline p : engine.pipelines()) {
      for (Stage s : p.stages()) {
        AtomicReference<Reading> r = new AtomicReference<>(Reading.NONE);
        readings.put(p.name() + "/" + s.name(), r);
        gauge(registry, "ridley.tasks.queued", "Tasks waiting for a worker", null, p, s, r, Reading::queued);
        gauge(registry, "ridley.tasks.running", "Tasks claimed and not ended", null, p, s, r, Reading::running);
        gauge(registry, "ridley.task.oldest.queued", "Age of the oldest task a worker could claim", "seconds",
            p, s, r, Reading::oldestQueuedSeconds);
        gauge(registry, "ridley.workers.active", "Workers that polled the stage in the last 30 s", null,
            p, s, r, Reading::workers);
      }
    }
    Gauge.builder("ridley.notifications.pending", notifications, r -> r.get().pending())
        .description("Terminal-state notifications waiting for delivery, retries included").register(registry);
    Gauge.builder("ridley.notifications.dead", notifications, r -> r.get().dead())
        .description("Terminal-state notifications given up after their last attempt").register(registry);
    // A failed read keeps the gauges' last values meanwhile.
    this.loop = WatchedLoop.start("stageGauges", engine.clock(), "ridley-stage-gauges", EVERY, Duration.ofSeconds(30),
        () -> {
          refresh();
          return false;
        });
  }

  private static void gauge(MeterRegistry registry, String name, String description, String unit, Pipeline p,
      Stage s, AtomicReference<Reading> r, java.util.function.ToDoubleFunction<Reading> value) {
    Gauge.builder(name, r, ref -> value.applyAsDouble(ref.get())).description(description).baseUnit(unit)
        .tags("pipeline", p.name(), "stage", s.name()).register(registry);
  }

  /** Reads every stage's figures now. */
  void refresh() {
    for (Pipeline p : engine.pipelines()) {
      Map<String, StageCounts> counts = engine.operations().stageCounts(p.name());
      Map<String, List<WorkerSeen>> workers = engine.operations().workersSeen(p.name());
      for (Stage s : p.stages()) {
        StageCounts c = counts.get(s.name());
        List<WorkerSeen> seen = workers.getOrDefault(s.name(), List.of());
        Reading r = c == null ? Reading.NONE : new Reading(c.queued(), c.running(),
            c.oldestQueued() == null ? 0 : c.oldestQueued().toMillis() / 1000.0, seen.size());
        readings.get(p.name() + "/" + s.name()).set(r);
      }
    }
    notifications.set(engine.operations().notificationCounts());
  }

  /** The reading loop's state, for {@code /health}. */
  public LoopHealth health() {
    return loop.health();
  }

  @Override
  public void close() {
    loop.close();
  }
}
