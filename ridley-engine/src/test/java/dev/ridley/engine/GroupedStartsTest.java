package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Single starts from concurrent callers share commits, and each is still answered as if alone. */
class GroupedStartsTest {

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE).systemClock();

  static final int CLIENTS = 64;

  @Test
  void racing_starts_with_the_same_custom_id_create_exactly_one_process() throws Exception {
    Engine engine = engines.engine();
    List<StartResult> results = concurrently(CLIENTS, i ->
        engine.processes().start("divide", new StartRequest("same", null, Json.read("{\"x\":1}"))));

    assertThat(results).filteredOn(r -> r.result() == StartResult.Result.CREATED).hasSize(1);
    assertThat(results).filteredOn(r -> r.result() == StartResult.Result.ALREADY_EXISTS).hasSize(CLIENTS - 1);
    assertThat(results).extracting(r -> r.process().id()).containsOnly(results.getFirst().process().id());
    assertThat(count("select count(*) from process")).isEqualTo(1);
    assertThat(count("select count(*) from task")).isEqualTo(1);
  }

  @Test
  void racing_starts_of_one_custom_id_on_two_nodes_create_exactly_one_process() throws Exception {
    List<Engine> nodes = List.of(engines.engine(), engines.node());
    List<StartResult> results = concurrently(CLIENTS, i -> nodes.get(i % 2).processes()
        .start("divide", new StartRequest("k" + (i % 8), null, Json.read("{\"x\":" + (i % 8) + "}"))));

    assertThat(results).filteredOn(r -> r.result() == StartResult.Result.CREATED).hasSize(8);
    assertThat(results).filteredOn(r -> r.result() == StartResult.Result.CONFLICT).isEmpty();
    assertThat(count("select count(*) from process")).isEqualTo(8);
    assertThat(count("select count(*) from task")).isEqualTo(8);
    assertThat(count("select count(*) from journal_event where type = 'process.started'")).isEqualTo(8);
  }

  @Test
  void concurrent_starts_share_commits_and_each_is_created_once() throws Exception {
    Engine engine = engines.engine();
    engine.processes().start("divide", StartRequest.of(Json.read("{}"))); // warm the pool
    long before = commits();
    int perClient = 10;
    List<StartResult> results = concurrently(CLIENTS, i -> {
      StartResult last = null;
      for (int k = 0; k < perClient; k++) {
        last = engine.processes().start("divide", new StartRequest("c" + i + "-" + k, null, Json.read("{}")));
        assertThat(last.result()).isEqualTo(StartResult.Result.CREATED);
      }
      return last;
    });
    long commits = commits() - before;

    assertThat(results).hasSize(CLIENTS);
    assertThat(count("select count(*) from process")).isEqualTo(1 + CLIENTS * perClient);
    assertThat(count("select count(*) from task")).isEqualTo(1 + CLIENTS * perClient);
    assertThat(commits).as("commits for %d starts", CLIENTS * perClient).isLessThan(CLIENTS * perClient / 2);
  }

  @Test
  void a_start_the_database_refuses_fails_alone_and_the_starts_grouped_with_it_are_created() throws Exception {
    Engine engine = engines.engine();
    List<Object> outcomes = concurrently(CLIENTS, i -> {
      try {
        String payload = i == 17 ? "{\"bad\":\"\\u0000\"}" : "{\"i\":" + i + "}";
        return engine.processes().start("divide", StartRequest.of(Json.read(payload))).result();
      } catch (RidleyException refused) {
        return refused;
      }
    });

    assertThat(outcomes.get(17)).isInstanceOf(RidleyException.class);
    assertThat(outcomes).filteredOn(o -> o == StartResult.Result.CREATED).hasSize(CLIENTS - 1);
    assertThat(count("select count(*) from process")).isEqualTo(CLIENTS - 1);
  }

  interface Client<T> {
    T run(int i) throws Exception;
  }

  private static <T> List<T> concurrently(int n, Client<T> client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int me = i;
        futures.add(pool.submit((Callable<T>) () -> {
          go.await();
          return client.run(me);
        }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) out.add(f.get());
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private long commits() throws Exception {
    try (Connection c = engines.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("select pg_stat_force_next_flush()");
      Thread.sleep(1200); // other backends flush their counters at most every second when idle
      try (ResultSet rs = s.executeQuery(
          "select xact_commit from pg_stat_database where datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long count(String sql) throws Exception {
    try (Connection c = engines.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
