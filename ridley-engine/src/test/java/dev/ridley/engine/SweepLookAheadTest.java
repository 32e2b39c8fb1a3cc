package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sweeper that worked out when a stage's timer can next fall due does not look at it again
 * before then (so idle nodes stop querying every stage every sweep), and still fires each timer
 * once and at the first sweep after it falls due, on whichever of two nodes sweeps.
 */
class SweepLookAheadTest {

  static final String BEAT =
      """
      name: beat
      defaults:
        retry: {attempts: 1}
      stages:
        beat: {timeouts: {heartbeat: 30s}}
      """;

  @RegisterExtension
  final TestEngines engines = TestEngines.of(BEAT);
  final SettableClock clock = engines.clock();

  UUID startAndClaim(Engine engine) throws InterruptedException {
    UUID process = engine.processes().start("beat", StartRequest.of(Json.read("{}"))).process().id();
    List<ClaimedTask> got = engine.workers().poll("w", List.of("beat"), 1, Duration.ZERO);
    assertThat(got).hasSize(1);
    return process;
  }

  long timeouts(Engine engine, UUID process) {
    return engine.processes().events(process).stream().filter(e -> e.type().equals("task.timed_out")).count();
  }

  int sweepBoth(Engine a, Engine b) {
    return a.operations().sweepOnce() + b.operations().sweepOnce();
  }

  @Test
  void two_nodes_that_looked_ahead_fire_each_heartbeat_timer_once_at_the_first_sweep_after_it_is_due() throws Exception {
    Engine a = engines.engine();
    Engine b = engines.node();
    UUID first = startAndClaim(a);
    assertThat(sweepBoth(a, b)).isZero();

    clock.advance(Duration.ofSeconds(20));
    UUID second = startAndClaim(b);
    assertThat(sweepBoth(a, b)).isZero();

    clock.advance(Duration.ofMillis(9_900)); // 29.9 s after the first claim: nothing due yet
    assertThat(sweepBoth(a, b)).isZero();

    clock.advance(Duration.ofMillis(600)); // 30.5 s: the first is due, the second is not
    assertThat(sweepBoth(a, b)).isEqualTo(1);
    assertThat(timeouts(a, first)).isEqualTo(1);
    assertThat(timeouts(a, second)).isZero();

    clock.advance(Duration.ofSeconds(20)); // 50.5 s: 30.5 s after the second claim
    assertThat(sweepBoth(a, b)).isEqualTo(1);
    assertThat(sweepBoth(a, b)).isZero();
    assertThat(timeouts(a, first)).isEqualTo(1);
    assertThat(timeouts(a, second)).isEqualTo(1);
  }

  @Test
  void a_task_claimed_after_a_sweep_found_the_stage_empty_still_times_out_on_time() throws Exception {
    Engine a = engines.engine();
    Engine b = engines.node();
    assertThat(sweepBoth(a, b)).isZero(); // nothing running: both decide when to look again

    clock.advance(Duration.ofMillis(500));
    UUID process = startAndClaim(b);
    for (int s = 0; s < 60; s++) { // a sweep every half second up to 30 s after the claim
      clock.advance(Duration.ofMillis(500));
      assertThat(sweepBoth(a, b)).as("sweep %d", s).isZero();
    }
    clock.advance(Duration.ofMillis(500));
    assertThat(sweepBoth(a, b)).isEqualTo(1);
    assertThat(timeouts(a, process)).isEqualTo(1);
  }
}
