package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.engine.testing.TestRabbit;
import dev.ridley.server.TestServers;
import dev.ridley.server.cli.RidleyCli;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RabbitMQ transport under real crashes, each ending with the accounting invariant read from
 * the journal (every process started once and ended exactly once, no attempt ended twice): the
 * Ridley server killed with SIGKILL mid-relay, the broker node killed and restarted under load, a
 * worker killed with SIGKILL while it holds unacked deliveries.
 */
class AmqpCrashTest {

  static final String FLOW = """
      name: flow
      transport: amqp
      stages:
        first:  {timeouts: {pollToEnd: 5s}, retry: {attempts: 10, backoff: 200ms}}
        second: {timeouts: {pollToEnd: 5s}, retry: {attempts: 10, backoff: 200ms}}
      routes:
        - first.ok -> second
      """;

  final TestRabbit rabbit = TestRabbit.shared();

  static RidleyWorker workers(URI server, URI broker, String id, AtomicInteger handled) {
    return workers(server, broker, id, handled, 16, 2);
  }

  /** Workers taking {@code millis} per task, {@code concurrency} at once: slow enough to be caught mid-work. */
  static RidleyWorker workers(URI server, URI broker, String id, AtomicInteger handled, int concurrency, long millis) {
    return RidleyWorker.builder(server).workerId(id).concurrency(concurrency).shutdownTimeout(Duration.ofSeconds(2))
        .amqp(broker)
        .handle("first", t -> { handled.incrementAndGet(); Thread.sleep(millis); return t.input(); })
        .handle("second", t -> { handled.incrementAndGet(); Thread.sleep(millis); return t.input(); })
        .build().start();
  }

  @Test
  void a_server_killed_mid_relay_loses_nothing_and_applies_nothing_twice_after_restart(@TempDir Path dir)
      throws Exception {
    int processes = 600;
    // Its own pipeline name, so no other test's leftover messages share its queues.
    Files.writeString(dir.resolve("flow.yaml"), FLOW.replace("name: flow", "name: relayed"));
    String dbUrl = TestDatabase.freshUrl();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("RIDLEY_DB_URL", dbUrl);
    env.put("RIDLEY_DB_USER", "postgres");
    env.put("RIDLEY_HTTP_PORT", Integer.toString(port));
    env.put("RIDLEY_PIPELINES", dir.toString());
    env.put("RIDLEY_SWEEP_INTERVAL_MS", "200");
    env.put("RIDLEY_AMQP_URL", rabbit.url());
    URI uri = URI.create("http://127.0.0.1:" + port);
    AtomicInteger handled = new AtomicInteger();
    ChildJvm first = ChildJvm.start("amqp-server-1", RidleyCli.class, env, "server");
    try (HikariDataSource db = TestDatabase.pool(dbUrl)) {
      first.awaitLine("Ridley listening", Duration.ofSeconds(60));
      first.awaitLine("connected to RabbitMQ", Duration.ofSeconds(60));
      Http http = new Http(uri);
      // Paused while the backlog is started, so the kill finds it mid-way rather than done.
      assertThat(http.post("/api/v1/pipelines/relayed/pause", "{}").status()).isEqualTo(200);
      try (RidleyClient client = RidleyClient.create(uri);
           RidleyWorker w = workers(uri, URI.create(rabbit.url()), "survivor", handled, 8, 20)) {
        for (int i = 0; i < processes; i++) {
          client.start("relayed", StartRequest.of(Map.of("i", i)).withCustomId("p-" + i));
        }
        assertThat(http.post("/api/v1/pipelines/relayed/resume", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() >= processes / 2);
        first.kill();
        first.saveOutput(Path.of("target/crash/amqp-server-1.log"));
        assertThat(count(db, "status = 'RUNNING'")).as("work was still in flight at the kill").isPositive();
        try (ChildJvm second = ChildJvm.start("amqp-server-2", RidleyCli.class, env, "server")) {
          second.awaitLine("Ridley listening", Duration.ofSeconds(60));
          second.awaitLine("connected to RabbitMQ", Duration.ofSeconds(60));
          await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
              .until(() -> count(db, "status <> 'RUNNING'") == processes);
          second.saveOutput(Path.of("target/crash/amqp-server-2.log"));
        }
      }
      assertThat(count(db, "status = 'SUCCEEDED'")).isEqualTo(processes);
      Accounting.assertEveryProcessAccountedFor(sql -> scalar(db, sql), true);
    } finally {
      first.close();
    }
  }

  @Test
  void the_broker_restarted_under_load_loses_nothing_and_health_says_so_meanwhile(@TempDir Path dir)
      throws Exception {
    int processes = 300;
    Files.writeString(dir.resolve("flow.yaml"), FLOW);
    AtomicInteger handled = new AtomicInteger();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir)
            .setSweepInterval(Duration.ofMillis(200)).setAmqpUrl(rabbit.url()).build());
         RidleyClient client = RidleyClient.create(server.uri());
         RidleyWorker w = workers(server.uri(), URI.create(rabbit.url()), "steady", handled)) {
      Http http = new Http(server.uri());
      await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(http.get("/health").json().path("amqp").asText()));
      for (int i = 0; i < processes / 2; i++) client.start("flow", StartRequest.of(Map.of("i", i)));
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() >= processes / 4);
      // Stopped as an operator restarts it: a SIGKILLed single node sometimes brings a quorum queue
      // back without a leader for minutes ("leader not known"), which no client can help.
      rabbit.stop();
      await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(http.get("/health").json().path("amqp").asText()));
      assertThat(http.get("/health").status()).isEqualTo(200);
      // Starts are still taken while the broker is down; their tasks wait in the outbox.
      for (int i = processes / 2; i < processes; i++) client.start("flow", StartRequest.of(Map.of("i", i)));
      assertThat(server.engine().brokers().backlog()).isPositive();
      rabbit.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(http.get("/health").json().path("amqp").asText()));
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> count(server.dataSource(), "status <> 'RUNNING'") == processes);
      assertThat(count(server.dataSource(), "status = 'SUCCEEDED'")).isEqualTo(processes);
      Accounting.assertEveryProcessAccountedFor(sql -> scalar(server.dataSource(), sql), true);
    }
  }

  @Test
  void a_worker_killed_with_unacked_deliveries_has_them_redelivered_and_every_process_ends_once(@TempDir Path dir)
      throws Exception {
    int processes = 100;
    Files.writeString(dir.resolve("slow.yaml"), """
        name: slow
        transport: amqp
        stages:
          work: {timeouts: {pollToEnd: 5s}, retry: {attempts: 5, backoff: 100ms}}
        """);
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir)
            .setSweepInterval(Duration.ofMillis(200)).setAmqpUrl(rabbit.url()).build());
         RidleyClient client = RidleyClient.create(server.uri())) {
      for (int i = 0; i < processes; i++) client.start("slow", StartRequest.of(Map.of("i", i)));
      try (ChildJvm doomed = ChildJvm.start("doomed-amqp-worker", AmqpWorkerMain.class, Map.of(),
          server.uri().toString(), rabbit.url(), "work", "500")) {
        doomed.awaitLine("WORKING", Duration.ofSeconds(60));
        Thread.sleep(700); // some finished, sixteen in its hands, more prefetched
        doomed.kill();
      }
      assertThat(count(server.dataSource(), "status = 'SUCCEEDED'")).as("the doomed worker left work undone")
          .isLessThan(processes);
      AtomicInteger handled = new AtomicInteger();
      try (RidleyWorker healthy = RidleyWorker.builder(server.uri()).workerId("healthy").concurrency(16)
          .amqp(URI.create(rabbit.url())).handle("work", t -> { handled.incrementAndGet(); return t.input(); })
          .build().start()) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> count(server.dataSource(), "status = 'SUCCEEDED'") == processes);
      }
      assertThat(handled.get()).isPositive();
      Accounting.assertEveryProcessAccountedFor(sql -> scalar(server.dataSource(), sql), true);
    }
  }

  static long count(javax.sql.DataSource db, String where) throws Exception {
    return scalar(db, "select count(*) from process where " + where);
  }

  static long scalar(javax.sql.DataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
