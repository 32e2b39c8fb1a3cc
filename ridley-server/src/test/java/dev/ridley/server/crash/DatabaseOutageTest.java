package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.engine.ProcessStatus;
import dev.ridley.examples.DivideWorkers;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyClientException;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import dev.ridley.worker.StartResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database stops for a few seconds under load: /health says so, the server recovers, nothing is lost. */
class DatabaseOutageTest {

  @Test
  void a_database_outage_under_load_is_reported_by_health_and_loses_no_acknowledged_process(@TempDir Path data)
      throws Exception {
    int pgPort;
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    EmbeddedPostgres pg = postgres(data, pgPort);
    String url = pg.getJdbcUrl("postgres", "postgres");
    List<UUID> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean starting = new AtomicBoolean(true);
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setDbUrl(url).setDbUser("postgres").build());
        RidleyWorker workers = DivideWorkers.register(RidleyWorker.builder(server.uri())
            .workerId("divide").pollWait(Duration.ofMillis(500))).build().start();
        RidleyClient client = RidleyClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(10)).build()) {
      Http http = new Http(server.uri());
      Thread load = Thread.ofVirtual().start(() -> {
        int i = 0;
        while (starting.get()) {
          try {
            StartResult r = client.start("divide", StartRequest.of(Map.of("x", i++, "y", 2)));
            acknowledged.add(r.process().id());
          } catch (RidleyClientException e) {
            // refused during the outage: the client knows it was not accepted
          }
          sleep(10);
        }
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 50);

      pg.close(); // stops PostgreSQL; its data stays in the folder
      await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health").status() == 503);
      sleep(3000);
      pg = postgres(data, pgPort);
      await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health").status() == 200);
      int before = acknowledged.size();
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= before + 50);
      starting.set(false);
      load.join();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
          acknowledged.stream().allMatch(id -> server.engine().processes().process(id).orElseThrow().status() == ProcessStatus.SUCCEEDED));
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(100);
    } finally {
      pg.close();
    }
  }

  static EmbeddedPostgres postgres(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).setCleanDataDirectory(false).setPort(port).start();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
