package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The background loops outlive whatever their work throws, Errors included, and say how they are. */
class BackgroundLoopsTest {

  /** Throws a StackOverflowError from inside a transition once, when armed. */
  static final AtomicBoolean ARMED = new AtomicBoolean();

  @RegisterExtension
  final TestEngines engines = TestEngines.of(TestPipelines.HEARTBEAT)
      .configure(b -> b.checkpoint(step -> {
        if (ARMED.compareAndSet(true, false)) throw new StackOverflowError("injected");
      }));
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  ProcessView start() {
    return engine.processes().start("hb", StartRequest.of(Json.read("{\"n\":1}"))).process();
  }

  void claim() throws InterruptedException {
    assertThat(engine.workers().poll("w-1", List.of("hb"), 1, Duration.ZERO)).hasSize(1);
  }

  LoopHealth sweeper() {
    return engine.operations().health().loops().stream()
        .filter(l -> l.name().equals("sweeper")).findFirst().orElseThrow();
  }

  @Test
  void the_sweeper_survives_an_error_thrown_by_its_work_and_fires_the_timer_on_a_later_round()
      throws Exception {
    ProcessView p = start();
    claim();
    clock.advance(Duration.ofSeconds(6)); // the heartbeat timer (5 s) is due
    ARMED.set(true);
    engine.startSweeper(Duration.ofMillis(20));

    await("the timer fires after the failed round").atMost(Duration.ofSeconds(20)).until(
        () -> engine.processes().tasks(p.id()).getFirst().status() == TaskStatus.TIMED_OUT);
    assertThat(ARMED).as("the error was thrown").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> !sweeper().failing());
    LoopHealth h = sweeper();
    assertThat(h.lastError()).contains("StackOverflowError").contains("injected");
    assertThat(h.lastFailure()).isNotNull();
    assertThat(h.lastSuccess()).isNotNull();
    assertThat(h.status()).isEqualTo("UP");

    // ... and keeps working: the retry's timer fires too.
    clock.advance(Duration.ofSeconds(1));
    claim();
    clock.advance(Duration.ofSeconds(6));
    await("the loop keeps sweeping").atMost(Duration.ofSeconds(20)).until(
        () -> engine.processes().process(p.id()).orElseThrow().status() == ProcessStatus.LOST);
  }

  @Test
  void health_says_the_database_takes_writes_and_lists_the_running_loops() {
    Health before = engine.operations().health();
    assertThat(before.databaseWritable()).isTrue();
    assertThat(before.databaseProblem()).isNull();
    assertThat(before.loops()).extracting(LoopHealth::name).containsExactly("notifySender", "notifyListener");
    engine.startSweeper(Duration.ofMillis(50));
    assertThat(engine.operations().health().loops()).extracting(LoopHealth::name)
        .containsExactly("sweeper", "notifySender", "notifyListener");
    assertThat(engine.operations().health().loopsUp()).isTrue();
  }

  @Test
  void a_drained_engine_answers_waiting_and_new_polls_with_no_tasks_at_once() throws Exception {
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException ignored) {
        // the drain below runs either way
      }
      engine.drain();
    });
    long t0 = System.nanoTime();
    List<ClaimedTask> got = engine.workers().poll("w-1", List.of("hb"), 1, Duration.ofSeconds(20));
    assertThat(got).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    start();
    assertThat(engine.workers().poll("w-1", List.of("hb"), 1, Duration.ofSeconds(20))).isEmpty();
  }
}
