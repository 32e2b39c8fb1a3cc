package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** maxInFlight: claimed-but-unfinished tasks of a stage never exceed it, however many poll. */
class BackpressureTest {

  static final int LIMIT = 5;
  static final String BUSY =
      """
      name: busy
      stages:
        work: {maxInFlight: 5}
        free: {}
      routes:
        - work.ok -> @done
      """;
  // The same stage name in another pipeline, without a limit: each pipeline's stage is its own.
  static final String OTHER =
      """
      name: other
      stages:
        work: {}
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(BUSY, OTHER).systemClock();
  final DataSource ds = engines.dataSource();
  final Engine engine = engines.engine();

  void startMany(String pipeline, int n) {
    for (int i = 0; i < n; i++) engine.processes().start(pipeline, StartRequest.of(IntNode.valueOf(i)));
  }

  @Test
  void concurrent_pollers_never_hold_more_tasks_of_a_limited_stage_than_its_max_in_flight()
      throws Exception {
    int total = 150;
    startMany("busy", total);
    AtomicInteger inHandlers = new AtomicInteger();
    AtomicInteger maxInHandlers = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger maxSampled = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = Thread.ofPlatform().start(() -> {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        while (sampling.get()) {
          try (ResultSet rs = s.executeQuery(
              "select count(*) from task where pipeline = 'busy' and stage = 'work' and status = 'RUNNING'")) {
            rs.next();
            maxSampled.accumulateAndGet(rs.getInt(1), Math::max);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 12; w++) {
      String id = "w-" + w;
      workers.add(Thread.ofPlatform().start(() -> {
        while (done.get() < total) {
          try {
            for (ClaimedTask t : engine.workers().poll(id, List.of("work"), 3, Duration.ofMillis(100))) {
              maxInHandlers.accumulateAndGet(inHandlers.incrementAndGet(), Math::max);
              // Long enough that 12 pollers want far more than the limit at once.
              Thread.sleep(ThreadLocalRandom.current().nextInt(20, 41));
              inHandlers.decrementAndGet();
              engine.workers().complete(t.id(), "ok", null);
              done.incrementAndGet();
            }
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    for (Thread t : workers) t.join(60_000);
    sampling.set(false);
    sampler.join();

    assertThat(done.get()).isEqualTo(total);
    assertThat(maxSampled.get()).isLessThanOrEqualTo(LIMIT);
    assertThat(maxInHandlers.get()).isLessThanOrEqualTo(LIMIT);
    assertThat(Math.max(maxInHandlers.get(), maxSampled.get())).as("the limit was reached").isEqualTo(LIMIT);
    assertThat(maxOverlap(ds, "work")).isLessThanOrEqualTo(LIMIT);
  }

  @Test
  void a_poll_of_limited_and_unlimited_stages_takes_up_to_the_limit_of_one_and_the_rest_from_the_other()
      throws Exception {
    startMany("busy", 8);
    startMany("other", 8);
    List<ClaimedTask> got = engine.workers().poll("w", List.of("work"), 100, Duration.ZERO);
    assertThat(got).filteredOn(t -> t.pipeline().equals("busy")).hasSize(LIMIT);
    assertThat(got).filteredOn(t -> t.pipeline().equals("other")).hasSize(8);
    assertThat(engine.workers().poll("w", List.of("work"), 100, Duration.ZERO)).isEmpty();

    engine.workers().complete(got.stream().filter(t -> t.pipeline().equals("busy")).findFirst().orElseThrow().id(), "ok", null);
    assertThat(engine.workers().poll("w", List.of("work"), 100, Duration.ZERO)).hasSize(1);
  }

  @Test
  void a_freed_slot_wakes_a_waiting_poller_at_once() throws Exception {
    startMany("busy", LIMIT + 1);
    List<ClaimedTask> held = engine.workers().poll("w", List.of("work"), 100, Duration.ZERO);
    assertThat(held).hasSize(LIMIT);
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
      engine.workers().complete(held.getFirst().id(), "ok", Json.read("1"));
    });
    long t0 = System.nanoTime();
    assertThat(engine.workers().poll("w", List.of("work"), 1, Duration.ofSeconds(5))).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  /** The most tasks of the stage that were claimed and not finished at one instant, from the rows. */
  static int maxOverlap(DataSource ds, String stage) throws Exception {
    List<Instant[]> spans = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select polled_at, finished_at from task where stage = '" + stage
            + "' and pipeline = 'busy' and polled_at is not null")) {
      while (rs.next()) {
        spans.add(new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()});
      }
    }
    int max = 0;
    for (Instant[] a : spans) {
      int open = 0;
      for (Instant[] b : spans) {
        // b is in flight at the moment a was claimed
        if (!b[0].isAfter(a[0]) && b[1].isAfter(a[0])) open++;
      }
      max = Math.max(max, open);
    }
    return max;
  }
}
