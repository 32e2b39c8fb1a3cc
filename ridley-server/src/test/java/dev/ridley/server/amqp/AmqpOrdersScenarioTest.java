package dev.ridley.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.examples.orders.OrderAgents;
import dev.ridley.examples.orders.OrderStatus;
import dev.ridley.examples.orders.OrdersBacklog;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.engine.testing.TestRabbit;
import dev.ridley.server.TestServers;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The orders scenario over RabbitMQ (pipelines-amqp/orders-amqp.yaml): a backlog held back by a
 * pause (the "go" switch), then drained by agents over AMQP with never more than 50 units in the
 * broker and the agents' hands at once.
 */
class AmqpOrdersScenarioTest {

  static final int UNITS = 150;
  static final int LIMIT = 50;

  @Test
  void a_paused_backlog_waits_unpublished_and_once_resumed_drains_with_at_most_50_in_the_broker_and_agents()
      throws Exception {
    TestRabbit rabbit = TestRabbit.shared();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder()
            .setPipelines(TestServers.repoRoot().resolve("pipelines-amqp")).setAmqpUrl(rabbit.url()).build());
         RidleyClient client = RidleyClient.create(server.uri())) {
      Http http = new Http(server.uri());
      String pipeline = OrderAgents.AMQP_PIPELINE;
      assertThat(http.post("/api/v1/pipelines/" + pipeline + "/pause", "{}").status()).isEqualTo(200);
      List<UUID> units = OrdersBacklog.start(client, pipeline, "amqp-test", UNITS);
      OrderAgents agents = new OrderAgents(0.3, Duration.ofMillis(5), Duration.ofMillis(60));
      AtomicInteger inHandlers = new AtomicInteger();
      AtomicInteger maxInHandlers = new AtomicInteger();
      List<RidleyWorker> workers = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        workers.add(RidleyWorker.builder(server.uri()).workerId("amqp-agent-" + i).concurrency(25)
            .amqp(URI.create(rabbit.url()))
            .handle(OrderAgents.STAGE, task -> {
              maxInHandlers.accumulateAndGet(inHandlers.incrementAndGet(), Math::max);
              try {
                return agents.work(task);
              } finally {
                inHandlers.decrementAndGet();
              }
            }).build().start());
      }
      AtomicBoolean sampling = new AtomicBoolean(true);
      AtomicInteger maxInBroker = new AtomicInteger();
      Thread sampler = Thread.ofPlatform().start(() -> sampleInFlight(server, pipeline, sampling, maxInBroker));
      try {
        Thread.sleep(1500);
        assertThat(server.engine().brokers().backlog()).as("paused: nothing published").isEqualTo(UNITS);
        assertThat(statuses(http, units)).containsEntry(OrderStatus.QUEUED, UNITS);
        assertThat(http.get("/api/v1/pipelines/" + pipeline + "/stages/order/next?limit=5").json().path("tasks"))
            .hasSize(5);

        assertThat(http.post("/api/v1/pipelines/" + pipeline + "/resume", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
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
      assertThat(end.get(OrderStatus.ERROR)).isPositive();
      assertThat(maxInBroker.get()).as("published and unfinished, sampled").isBetween(1, LIMIT);
      assertThat(maxInHandlers.get()).as("handlers running at once across the agents").isLessThanOrEqualTo(LIMIT);
      System.out.printf("orders over amqp: %s; max in flight: broker+agents %d, handlers %d%n", end,
          maxInBroker.get(), maxInHandlers.get());
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

  static void sampleInFlight(RidleyServer server, String pipeline, AtomicBoolean sampling, AtomicInteger max) {
    try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
      while (sampling.get()) {
        try (ResultSet rs = s.executeQuery("select count(*) from amqp_outbox o join task t on t.id = o.task_id"
            + " where o.pipeline = '" + pipeline + "' and t.status in ('QUEUED', 'RUNNING')"
            + " and o.published_at is not null")) {
          rs.next();
          max.accumulateAndGet(rs.getInt(1), Math::max);
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
