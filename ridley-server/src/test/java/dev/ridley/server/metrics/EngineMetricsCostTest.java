package dev.ridley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.ProcessStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The counters the engine feeds on every transition cost no allocation once their meter exists. */
class EngineMetricsCostTest {

  @Test
  void counting_starts_ends_and_timers_allocates_nothing_after_the_first_of_each_label_set() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EngineMetrics metrics = new EngineMetrics(registry);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    Runnable round = () -> {
      metrics.processStarted("orders");
      metrics.processEnded("orders", ProcessStatus.LOST, LostReason.TASK_HEARTBEAT_TIMEOUT);
      metrics.processEnded("orders", ProcessStatus.SUCCEEDED, null);
      metrics.timerFired("orders", "charge", "heartbeat");
    };
    for (int i = 0; i < 20_000; i++) round.run(); // registers the meters, warms up
    long before = threads.getThreadAllocatedBytes(thread);
    int rounds = 100_000;
    for (int i = 0; i < rounds; i++) round.run();
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat((double) allocated / rounds).as("bytes allocated per round of four updates").isLessThan(1.0);
    assertThat(registry.get("ridley.processes.started").counter().count()).isEqualTo(120_000);
    assertThat(registry.get("ridley.processes.ended").tag("status", "LOST")
        .tag("reason", "TASK_HEARTBEAT_TIMEOUT").counter().count()).isEqualTo(120_000);
  }
}
