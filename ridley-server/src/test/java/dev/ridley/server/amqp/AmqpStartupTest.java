package dev.ridley.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.server.config.ConfigException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turning the transport on: the variable is required by amqp pipelines, and an absent broker stops nothing. */
class AmqpStartupTest {

  @Test
  void a_pipeline_asking_for_amqp_without_the_url_stops_the_server_naming_the_file_and_the_variable(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("brokered.yaml");
    Files.writeString(file, "name: brokered\nstages: {work: {transport: amqp}}\n");
    assertThatThrownBy(() -> RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_AMQP_URL")
        .hasMessageContaining("brokered.yaml")
        .hasMessageContaining("transport: amqp");
  }

  @Test
  void without_a_reachable_broker_starts_are_taken_the_outbox_grows_and_health_says_amqp_down_with_200(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("brokered.yaml"), "name: brokered\ntransport: amqp\nstages: {work: {}}\n");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(dir)
        .setAmqpUrl("amqp://guest:guest@127.0.0.1:" + closedPort + "/%2f").build())) {
      Http http = new Http(server.uri());
      Http.Answer started = http.post("/api/v1/pipelines/brokered/processes", "{\"payload\": {\"n\": 1}}");
      assertThat(started.status()).isEqualTo(201);
      assertThat(server.engine().brokers().backlog()).isOne();
      Http.Answer health = http.get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().path("amqp").asText()).isEqualTo("DOWN");
      assertThat(health.json().path("status").asText()).isEqualTo("UP");
      // An HTTP poll never hands out an amqp stage's task.
      assertThat(http.post("/api/v1/tasks/poll", "{\"worker\": \"w\", \"stages\": [\"work\"], \"max\": 5, \"waitMs\": 0}")
          .json().path("tasks")).isEmpty();
    }
  }
}
