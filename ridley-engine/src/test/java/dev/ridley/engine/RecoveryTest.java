package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every connection of the engine killed at once (as a PostgreSQL restart or a network blip does):
 * within ten seconds, without a restart, work moves again everywhere it moved before.
 */
class RecoveryTest {

  /** Long enough that only a LISTEN/NOTIFY wake-up, never the recheck, can answer a poll in time. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  @RegisterExtension
  final TestEngines engines =
      TestEngines.of(TestPipelines.FLOW).systemClock().configure(b -> b.pollRecheck(RECHECK));

  @Test
  void after_every_connection_is_killed_wake_ups_between_nodes_claims_and_reports_work_within_ten_seconds()
      throws Exception {
    Engine a = engines.engine();
    Engine b = engines.node();
    assertThat(wokenAcrossNodes(a, b)).as("before the outage").isTrue();

    killEveryConnection(engines.dataSource());

    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> wokenAcrossNodes(a, b));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    // the reports went through: their processes were routed on to the second stage
    assertThat(b.workers().poll("w", List.of("second"), 10, Duration.ofSeconds(2))).isNotEmpty();
  }

  /**
   * Node {@code a} long-polls; node {@code b} starts a process. True when {@code a}'s poll got the
   * task within a second, which only a wake-up sent through the database can do; the task is then
   * reported, so the group commit and routing work too.
   */
  static boolean wokenAcrossNodes(Engine a, Engine b) {
    try {
      CompletableFuture<List<ClaimedTask>> poll = CompletableFuture.supplyAsync(() -> {
        try {
          return a.workers().poll("w", List.of("first"), 1, Duration.ofSeconds(3));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return List.of();
        }
      });
      Thread.sleep(200); // the poll is waiting
      long started = System.nanoTime();
      b.processes().start("flow", StartRequest.of(IntNode.valueOf(1)));
      List<ClaimedTask> got = poll.get(5, TimeUnit.SECONDS);
      if (got.isEmpty()) return false;
      boolean inTime = System.nanoTime() - started < Duration.ofSeconds(1).toNanos();
      a.workers().complete(got.getFirst().id(), "ok", IntNode.valueOf(1));
      return inTime;
    } catch (Exception e) {
      return false; // the database is still away for this node
    }
  }

  static void killEveryConnection(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("select pg_terminate_backend(pid) from pg_stat_activity"
          + " where datname = current_database() and pid <> pg_backend_pid()");
    }
  }
}
