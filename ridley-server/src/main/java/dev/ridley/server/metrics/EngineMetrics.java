package dev.ridley.server.metrics;

import dev.ridley.engine.EngineObserver;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.ProcessStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Ridley's own counters and histograms, fed by the engine as it commits changes on this node
 * (Prometheus sums the nodes). Each meter is registered once per label set and kept, so the hot
 * path pays a few map lookups, no allocation, and an atomic add per change ({@link MeterTable}).
 * The gauges that read the database are in {@link StageGauges}.
 */
public final class EngineMetrics implements EngineObserver {

  private final MeterTable<Counter> started;
  private final MeterTable<Counter> ended;
  private final MeterTable<Counter> timers;
  private final MeterTable<Timer> pickup;
  private final MeterTable<Timer> run;

  public EngineMetrics(MeterRegistry registry) {
    started = new MeterTable<>((pipeline, unused, none) -> Counter.builder("ridley.processes.started")
        .description("Processes started on this node").tag("pipeline", pipeline).register(registry));
    ended = new MeterTable<>((pipeline, status, reason) -> Counter.builder("ridley.processes.ended")
        .description("Processes that reached an end (or were parked) on this node")
        .tags("pipeline", pipeline, "status", status, "reason", reason).register(registry));
    timers = new MeterTable<>((pipeline, stage, timer) -> Counter.builder("ridley.timers.fired")
        .description("Timers fired by this node").tags("pipeline", pipeline, "stage", stage, "timer", timer)
        .register(registry));
    pickup = new MeterTable<>((pipeline, stage, none) -> latency("ridley.task.pickup")
        .description("From enqueue to claim").tags("pipeline", pipeline, "stage", stage).register(registry));
    run = new MeterTable<>((pipeline, stage, outcome) -> latency("ridley.task.run")
        .description("From claim to the attempt's end")
        .tags("pipeline", pipeline, "stage", stage, "outcome", outcome).register(registry));
  }

  @Override
  public void processStarted(String pipeline) {
    started.get(pipeline, "", "").increment();
  }

  @Override
  public void processEnded(String pipeline, ProcessStatus status, LostReason lostReason) {
    ended.get(pipeline, status.name(), lostReason == null ? "" : lostReason.name()).increment();
  }

  @Override
  public void taskClaimed(String pipeline, String stage, Duration wait) {
    pickup.get(pipeline, stage, "").record(wait);
  }

  @Override
  public void taskEnded(String pipeline, String stage, String outcome, Duration took) {
    run.get(pipeline, stage, outcome).record(took);
  }

  @Override
  public void timerFired(String pipeline, String stage, String timer) {
    timers.get(pipeline, stage, timer).increment();
  }

  /** Histogram buckets from 1 ms to 10 min, enough to alert on and few enough to scrape. */
  private static Timer.Builder latency(String name) {
    return Timer.builder(name).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10));
  }
}
