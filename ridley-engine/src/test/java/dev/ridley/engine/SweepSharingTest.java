package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sweepers on several nodes share the due timers: each claims its batches with SKIP LOCKED, so
 * none waits on another's locks, and every timer fires exactly once.
 */
class SweepSharingTest {

  static final String SHORT_HEARTBEAT =
      """
      name: beat
      stages:
        beat: {timeouts: {heartbeat: 1s}}
      """;

  @RegisterExtension
  final TestEngines engines = TestEngines.of(SHORT_HEARTBEAT);
  final SettableClock clock = engines.clock();

  /** Starts {@code n} processes and claims their tasks, so each has a heartbeat timer running. */
  List<UUID> running(Engine engine, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      engine.processes().start("beat", StartRequest.of(Json.read("{\"i\":" + i + "}")));
    }
    List<UUID> tasks = new ArrayList<>();
    while (tasks.size() < n) {
      List<ClaimedTask> got = engine.workers().poll("w", List.of("beat"), WorkerProtocol.MAX_POLL_BATCH, Duration.ZERO);
      assertThat(got).as("claimable tasks").isNotEmpty();
      got.forEach(t -> tasks.add(t.id()));
    }
    return tasks;
  }

  /** How many {@code task.timed_out} events each task has in the journal. */
  Map<UUID, Integer> timeoutsPerTask() throws SQLException {
    Map<UUID, Integer> out = new HashMap<>();
    try (Connection c = engines.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "select task_id, count(*) from journal_event where type = 'task.timed_out' group by task_id")) {
      while (rs.next()) out.put(rs.getObject(1, UUID.class), rs.getInt(2));
    }
    return out;
  }

  @Test
  void two_nodes_sweeping_at_once_fire_every_due_timer_exactly_once_without_waiting_on_each_other()
      throws Exception {
    Engine a = engines.engine();
    Engine b = engines.node();
    int n = 1_500;
    List<UUID> tasks = running(a, n);
    clock.advance(Duration.ofSeconds(2));

    CyclicBarrier together = new CyclicBarrier(2);
    int firedA;
    int firedB;
    try (ExecutorService nodes = Executors.newFixedThreadPool(2)) {
      Future<Integer> onA = nodes.submit(() -> sweepAfter(together, a));
      Future<Integer> onB = nodes.submit(() -> sweepAfter(together, b));
      firedA = onA.get(60, TimeUnit.SECONDS);
      firedB = onB.get(60, TimeUnit.SECONDS);
    }

    assertThat(firedA + firedB).as("fired by A (%d) and B (%d)", firedA, firedB).isEqualTo(n);
    Map<UUID, Integer> timeouts = timeoutsPerTask();
    assertThat(timeouts.keySet()).containsExactlyInAnyOrderElementsOf(tasks);
    assertThat(timeouts.values()).allMatch(count -> count == 1);
    assertThat(a.operations().sweepOnce() + b.operations().sweepOnce()).as("nothing left to fire").isZero();
  }

  @Test
  void a_sweep_skips_a_process_another_transaction_holds_and_fires_it_on_a_later_sweep() throws Exception {
    Engine engine = engines.engine();
    List<UUID> tasks = running(engine, 5);
    clock.advance(Duration.ofSeconds(2));
    UUID held = tasks.get(2);
    try (Connection other = engines.dataSource().getConnection()) {
      other.setAutoCommit(false);
      try (PreparedStatement ps = other.prepareStatement(
          "select p.id from process p join task t on t.process_id = p.id where t.id = ? for update of p")) {
        ps.setObject(1, held);
        ps.executeQuery().close();
      }
      int fired;
      try (ExecutorService node = Executors.newSingleThreadExecutor()) {
        fired = node.submit(() -> engine.operations().sweepOnce()).get(10, TimeUnit.SECONDS);
      }
      assertThat(fired).as("the sweep went past the locked row instead of waiting for it").isEqualTo(4);
      other.commit();
    }
    assertThat(engine.operations().sweepOnce()).isEqualTo(1);
    assertThat(timeoutsPerTask()).containsOnlyKeys(tasks).allSatisfy((task, count) -> assertThat(count).isOne());
  }

  static int sweepAfter(CyclicBarrier barrier, Engine node) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return node.operations().sweepOnce();
  }
}
