package dev.ridley.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.examples.DivideWorkers;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.ProcessQuery;
import dev.ridley.worker.ProcessStatus;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.StartAnswer;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import dev.ridley.worker.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java SDK against a real server: the client starts, the example workers divide. */
class SdkEndToEndTest {

  static RidleyServer server;
  static RidleyWorker workers;
  static RidleyClient client;

  @BeforeAll
  static void start() {
    server = TestServers.start();
    workers = DivideWorkers.register(RidleyWorker.builder(server.uri()).workerId("sdk-e2e")
        .pollWait(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(2))).build().start();
    client = RidleyClient.create(server.uri());
  }

  @AfterAll
  static void stop() {
    client.close();
    workers.close();
    server.close();
  }

  ProcessInfo awaitEnd(UUID id) {
    await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).orElseThrow().status().isTerminal());
    return client.get(id).orElseThrow();
  }

  @Test
  void divide_one_by_two_succeeds_with_output_half_last_seen_at_ocean() {
    StartResult r = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 2)).withCustomId("sdk-half"));
    assertThat(r.result()).isEqualTo(StartResult.Result.CREATED);
    ProcessInfo p = awaitEnd(r.process().id());
    assertThat(p.status()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(p.output().asDouble()).isEqualTo(0.5);
    assertThat(p.lastSeen().stage()).isEqualTo("ocean");

    StartResult again = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 2)).withCustomId("sdk-half"));
    assertThat(again.result()).isEqualTo(StartResult.Result.ALREADY_EXISTS);
    assertThat(again.process().id()).isEqualTo(p.id());
    assertThat(client.start("divide", StartRequest.of(Map.of("x", 2, "y", 2)).withCustomId("sdk-half")).result())
        .isEqualTo(StartResult.Result.CONFLICT);
  }

  @Test
  void start_all_starts_a_batch_and_answers_each_item_as_its_single_start_would() {
    List<StartAnswer> answers = client.startAll("divide", List.of(
        StartRequest.of(Map.of("x", 3, "y", 4)).withCustomId("sdk-bulk-1"),
        StartRequest.of(Map.of("x", 3, "y", 4)).withCustomId("sdk-bulk-1"),
        StartRequest.of(Map.of("x", 5, "y", 4)).withCustomId("sdk-bulk-1"),
        StartRequest.of(Map.of("x", 1, "y", 4)).withCustomId("k".repeat(201))));

    assertThat(answers).extracting(StartAnswer::status).containsExactly(201, 200, 409, 400);
    assertThat(answers.get(0).result().orElseThrow().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(answers.get(1).result().orElseThrow().process().id()).isEqualTo(answers.get(0).started().process().id());
    assertThat(answers.get(3).result()).isEmpty();
    assertThat(answers.get(3).detail()).contains("customId");
    assertThat(awaitEnd(answers.get(0).started().process().id()).status()).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void divide_by_zero_is_routed_to_errors_and_the_process_fails_with_the_division_error() {
    UUID id = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 0)).withUser("sdk")).process().id();
    ProcessInfo p = awaitEnd(id);
    assertThat(p.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(p.lastSeen().stage()).isEqualTo("errors");
    assertThat(p.error().type()).isEqualTo("java.lang.ArithmeticException");
    assertThat(p.error().message()).contains("division by zero");
    assertThat(p.error().stack()).contains("DivideWorkers");
    assertThat(client.search(ProcessQuery.builder().user("sdk").status(ProcessStatus.FAILED).build()).items())
        .extracting(ProcessInfo::id).containsExactly(id);
  }
}
