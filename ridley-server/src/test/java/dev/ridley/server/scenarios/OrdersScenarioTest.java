package dev.ridley.server.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.examples.orders.OrderAgents;
import dev.ridley.examples.orders.OrderStatus;
import dev.ridley.examples.orders.OrdersBacklog;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The orders scenario end to end: 100 units at once, four agents over HTTP with 120 handler slots
 * between them, and the stage's maxInFlight of 50 holding on the server.
 */
class OrdersScenarioTest {

  static final int UNITS = 100;
  static final int LIMIT = 50;

  @Test
  void a_backlog_of_100_reaches_a_terminal_state_with_never_more_than_50_in_flight() throws Exception {
    try (RidleyServer server = TestServers.start(); RidleyClient client = RidleyClient.create(server.uri())) {
      Http http = new Http(server.uri());
      List<UUID> units = OrdersBacklog.start(client, "test", UNITS);
      assertThat(statuses(http, units)).containsEntry(OrderStatus.QUEUED, UNITS); // nobody polls yet

      AtomicBoolean sampling = new AtomicBoolean(true);
      AtomicInteger maxRunningInDb = new AtomicInteger();
      Thread sampler = Thread.ofPlatform().start(() -> sampleRunning(server, sampling, maxRunningInDb));
      AtomicInteger inHandlers = new AtomicInteger();
      AtomicInteger maxInHandlers = new AtomicInteger();
      OrderAgents agents = new OrderAgents(0.3, Duration.ofMillis(50), Duration.ofMillis(400));
      List<RidleyWorker> workers = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        workers.add(RidleyWorker.builder(server.uri()).workerId("agent-" + i).concurrency(30)
            .pollWait(Duration.ofSeconds(1))
            .handle(OrderAgents.STAGE, task -> {
              maxInHandlers.accumulateAndGet(inHandlers.incrementAndGet(), Math::max);
              try {
                return agents.work(task);
              } finally {
                inHandlers.decrementAndGet();
              }
            })
            .build().start());
      }
      try {
        // While the backlog drains, some units are in an agent's hands and the rest wait in line.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          Map<OrderStatus, Integer> now = statuses(http, units);
          assertThat(now.get(OrderStatus.PROCESSING)).isBetween(1, LIMIT);
          assertThat(now.get(OrderStatus.QUEUED)).isPositive();
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> statuses(http, units).entrySet().stream()
                .filter(e -> e.getKey().terminal()).mapToInt(Map.Entry::getValue).sum() == UNITS);
      } finally {
        workers.forEach(RidleyWorker::close);
        sampling.set(false);
        sampler.join();
      }

      Map<OrderStatus, Integer> end = statuses(http, units);
      assertThat(end.get(OrderStatus.SUCCESS) + end.get(OrderStatus.ERROR)).isEqualTo(UNITS);
      assertThat(end.get(OrderStatus.SUCCESS)).isPositive();
      assertThat(end.get(OrderStatus.ERROR)).isEqualTo(
          http.get("/api/v1/processes?pipeline=orders&status=FAILED&limit=1000").json().path("items").size());
      assertThat(maxRunningInDb.get()).as("RUNNING tasks sampled in the database").isBetween(LIMIT - 5, LIMIT);
      assertThat(maxInHandlers.get()).as("handlers running at once across the agents").isLessThanOrEqualTo(LIMIT);
      assertThat(maxOverlap(http, units)).as("attempts in flight at once, from their timestamps").isLessThanOrEqualTo(LIMIT);
      System.out.printf("orders: %s; max in flight: db %d, handlers %d%n", end, maxRunningInDb.get(), maxInHandlers.get());
    }
  }

  /** How many units are in each status now, read through the API as a person would. */
  static Map<OrderStatus, Integer> statuses(Http http, List<UUID> units) {
    Map<OrderStatus, Integer> counts = new EnumMap<>(OrderStatus.class);
    for (OrderStatus s : OrderStatus.values()) counts.put(s, 0);
    for (UUID id : units) {
      String process = http.get("/api/v1/processes/" + id).json().path("status").asText();
      String attempt = null;
      if (process.equals("RUNNING")) {
        JsonNode tasks = http.get("/api/v1/processes/" + id + "/tasks").json().path("tasks");
        attempt = tasks.get(tasks.size() - 1).path("status").asText();
      }
      counts.merge(OrderStatus.of(process, attempt), 1, Integer::sum);
    }
    return counts;
  }

  static void sampleRunning(RidleyServer server, AtomicBoolean sampling, AtomicInteger max) {
    try (java.sql.Connection c = server.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        while (sampling.get()) {
          try (ResultSet rs = s.executeQuery("select count(*) from task where pipeline = 'orders'"
              + " and stage = 'order' and status = 'RUNNING'")) {
            rs.next();
            max.accumulateAndGet(rs.getInt(1), Math::max);
          }
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The most attempts claimed and not finished at the moment any attempt was claimed. */
  static int maxOverlap(Http http, List<UUID> units) {
    List<Instant[]> spans = new ArrayList<>();
    for (UUID id : units) {
      for (JsonNode t : http.get("/api/v1/processes/" + id + "/tasks").json().path("tasks")) {
        if (t.path("polledAt").isTextual() && t.path("finishedAt").isTextual()) {
          spans.add(new Instant[] {Instant.parse(t.path("polledAt").asText()), Instant.parse(t.path("finishedAt").asText())});
        }
      }
    }
    int max = 0;
    for (Instant[] a : spans) {
      int open = 0;
      for (Instant[] b : spans) {
        if (!b[0].isAfter(a[0]) && b[1].isAfter(a[0])) open++;
      }
      max = Math.max(max, open);
    }
    return max;
  }
}
