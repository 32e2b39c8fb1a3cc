package dev.ridley.server.metrics;

import dev.ridley.engine.EngineObserver;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.ProcessStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ridley's own counters and histograms, fed by the engine as it commits changes on this node
 * (Prometheus sums the nodes). Each meter is looked up once per label set and kept, so the hot
 * path pays a map lookup and an atomic add per change. The gauges that read the database are in
 * {@link StageGauges}.
 */
public final class EngineMetrics implements EngineObserver {

  private record Key(List<String> labels) {}

  private final MeterRegistry registry;
  private final Map<Key, Counter> started = new ConcurrentHashMap<>();
  private final Map<Key, Counter> ended = new ConcurrentHashMap<>();
  private final Map<Key, Counter> timers = new ConcurrentHashMap<>();
  private final Map<Key, Timer> pickup = new ConcurrentHashMap<>();
  private final Map<Key, Timer> run = new ConcurrentHashMap<>();

  public EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void processStarted(String pipeline) {
    started.computeIfAbsent(new Key(List.of(pipeline)), k -> Counter.builder("ridley.processes.started")
        .description("Processes started on this node").tag("pipeline", pipeline).register(registry)).increment();
  }

  @Override
  public void processEnded(String pipeline, ProcessStatus status, LostReason lostReason) {
    String reason = lostReason == null ? "" : lostReason.name();
    ended.computeIfAbsent(new Key(List.of(pipeline, status.name(), reason)), k -> Counter.builder("ridley.processes.ended")
        .description("Processes that reached an end (or were parked) on this node")
        .tags("pipeline", pipeline, "status", status.name(), "reason", reason).register(registry)).increment();
  }

  @Override
  public void taskClaimed(String pipeline, String stage, Duration wait) {
    pickup.computeIfAbsent(new Key(List.of(pipeline, stage)), k -> latency("ridley.task.pickup")
        .description("From enqueue to claim").tags("pipeline", pipeline, "stage", stage).register(registry))
        .record(wait);
  }

  @Override
  public void taskEnded(String pipeline, String stage, String outcome, Duration took) {
    run.computeIfAbsent(new Key(List.of(pipeline, stage, outcome)), k -> latency("ridley.task.run")
        .description("From claim to the attempt's end")
        .tags("pipeline", pipeline, "stage", stage, "outcome", outcome).register(registry)).record(took);
  }

  @Override
  public void timerFired(String pipeline, String stage, String timer) {
    timers.computeIfAbsent(new Key(List.of(pipeline, stage, timer)), k -> Counter.builder("ridley.timers.fired")
        .description("Timers fired by this node").tags("pipeline", pipeline, "stage", stage, "timer", timer)
        .register(registry)).increment();
  }

  /** Histogram buckets from 1 ms to 10 min, enough to alert on and few enough to scrape. */
  private static Timer.Builder latency(String name) {
    return Timer.builder(name).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10));
  }
}
