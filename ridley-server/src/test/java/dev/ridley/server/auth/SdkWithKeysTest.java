package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ridley.examples.DivideWorkers;
import dev.ridley.server.RidleyServer;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.ProcessStatus;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyClientException;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java SDK against a server with API keys: clients and workers sign their requests. */
class SdkWithKeysTest {

  static RidleyServer server;

  @BeforeAll
  static void start() {
    server = RidleyServer.start(Keys.config());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_client_and_workers_with_keys_run_a_process_and_it_is_the_clients_own() {
    try (RidleyWorker workers = DivideWorkers.register(RidleyWorker.builder(server.uri()).apiKey(Keys.WORKERS)
            .workerId("keyed").pollWait(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(2))).build().start();
        RidleyClient client = RidleyClient.builder(server.uri()).apiKey(Keys.SHOP).build()) {
      UUID id = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 2))).process().id();
      await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).orElseThrow().status().isTerminal());
      ProcessInfo p = client.get(id).orElseThrow();
      assertThat(p.status()).isEqualTo(ProcessStatus.SUCCEEDED);
      assertThat(p.user()).isEqualTo("shop");
      assertThat(workers.failure()).isEmpty();
    }
  }

  @Test
  void a_token_supplier_is_asked_for_each_request() {
    int[] asked = {0};
    try (RidleyClient client = RidleyClient.builder(server.uri()).tokenSupplier(() -> {
      asked[0]++;
      return Keys.OTHER_SHOP;
    }).build()) {
      UUID id = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 3))).process().id();
      assertThat(client.get(id).orElseThrow().user()).isEqualTo("other-shop");
      assertThat(asked[0]).isEqualTo(2);
    }
  }

  @Test
  void a_client_without_a_key_gets_a_401_exception_and_another_clients_process_is_not_found() {
    try (RidleyClient anonymous = RidleyClient.create(server.uri());
        RidleyClient shop = RidleyClient.builder(server.uri()).apiKey(Keys.SHOP).build();
        RidleyClient other = RidleyClient.builder(server.uri()).apiKey(Keys.OTHER_SHOP).build()) {
      assertThatThrownBy(() -> anonymous.start("divide", StartRequest.of(Map.of("x", 1, "y", 2))))
          .isInstanceOfSatisfying(RidleyClientException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("key-");
          });
      UUID id = shop.start("divide", StartRequest.of(Map.of("x", 5, "y", 2))).process().id();
      assertThat(other.get(id)).isEmpty();
      assertThat(shop.get(id)).isPresent();
    }
  }

  @Test
  void a_worker_whose_key_does_not_allow_a_stage_stops_with_a_clear_403() {
    try (RidleyWorker worker = DivideWorkers.register(RidleyWorker.builder(server.uri()).apiKey(Keys.DIVIDE_WORKERS)
        .workerId("too-many-stages").pollWait(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(2))).build()
        .start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.failure().isPresent());
      RidleyClientException e = worker.failure().orElseThrow();
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.detail()).contains("divide-workers").contains("errors");
    }
  }
}
