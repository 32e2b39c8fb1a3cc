package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A caller waiting for a process to end is woken by the end, and costs the database nothing meanwhile. */
class AwaitEndTest {

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE).systemClock();

  @Test
  void a_waiter_wakes_promptly_when_its_process_ends_on_this_node() throws Exception {
    Engine engine = engines.engine();
    UUID id = start(engine);
    CompletableFuture<Optional<ProcessView>> waiting = waitFor(engine, id, Duration.ofSeconds(30));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();

    finish(engine, id);
    long ended = System.nanoTime();
    ProcessView p = waiting.get(10, TimeUnit.SECONDS).orElseThrow();

    assertThat(p.status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - ended)).isLessThan(Processes.AWAIT_RECHECK.dividedBy(2));
  }

  @Test
  void a_waiter_wakes_when_its_process_ends_on_another_node() throws Exception {
    Engine here = engines.engine();
    Engine there = engines.node();
    UUID id = start(here);
    CompletableFuture<Optional<ProcessView>> waiting = waitFor(here, id, Duration.ofSeconds(30));
    Thread.sleep(300);

    finish(there, id);

    assertThat(waiting.get(10, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void a_wait_answers_at_its_deadline_with_the_process_still_running_and_an_unknown_id_at_once() throws Exception {
    Engine engine = engines.engine();
    UUID id = start(engine);
    long t0 = System.nanoTime();
    assertThat(engine.processes().awaitEnd(id, Duration.ofMillis(400)).orElseThrow().status())
        .isEqualTo(ProcessStatus.RUNNING);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(engine.processes().awaitEnd(UUID.randomUUID(), Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void many_waiters_do_not_raise_the_database_transaction_rate() throws Exception {
    Engine engine = engines.engine();
    int waiters = 300;
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < waiters; i++) ids.add(start(engine));
    Duration window = Duration.ofSeconds(3);

    long idle = commitsOver(window);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (UUID id : ids) pool.submit(() -> engine.processes().awaitEnd(id, Duration.ofSeconds(30)));
      Thread.sleep(1000); // every waiter has made its first read
      long waiting = commitsOver(window);

      // Re-reading every 20 ms, 300 waiters made about 45,000 transactions in 3 s. Now the re-reads
      // are one statement for all waiters, once a second. A backend may report its counts up to
      // 10 s late, so the waiters' first reads (one each) may still show in the window: allowed.
      assertThat(waiting).as("transactions in %s with %d waiters (%d without)", window, waiters, idle)
          .isLessThan(idle + waiters + 100);
    } finally {
      pool.shutdownNow();
    }
  }

  private long commitsOver(Duration window) throws Exception {
    long before = commits();
    Thread.sleep(window.toMillis());
    return commits() - before;
  }

  private long commits() throws Exception {
    try (Connection c = engines.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "select xact_commit from pg_stat_database where datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static UUID start(Engine engine) {
    return engine.processes().start("divide", StartRequest.of(Json.read("{\"x\":1,\"y\":2}"))).process().id();
  }

  private static CompletableFuture<Optional<ProcessView>> waitFor(Engine engine, UUID id, Duration max) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return engine.processes().awaitEnd(id, max);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, Executors.newVirtualThreadPerTaskExecutor());
  }

  /** Works the process through divide and ocean on the given node. */
  private static void finish(Engine engine, UUID id) throws Exception {
    for (String stage : List.of("divide", "ocean")) {
      ClaimedTask t = engine.workers().poll("w", List.of(stage), 10, Duration.ofSeconds(5)).stream()
          .filter(c -> c.processId().equals(id)).findFirst().orElseThrow();
      engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5));
    }
  }
}
