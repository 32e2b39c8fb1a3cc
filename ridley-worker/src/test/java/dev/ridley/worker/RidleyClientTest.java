package dev.ridley.worker;

import static dev.ridley.worker.FakeRidley.JSON;
import static dev.ridley.worker.WorkerResultsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.FakeRidley.Answer;
import dev.ridley.worker.FakeRidley.Request;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RidleyClientTest {

  private static final UUID ID = UUID.fromString("01900000-0000-7000-8000-000000000001");

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private final RidleyClient client = RidleyClient.create(ridley.uri());

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void start_sends_payload_custom_id_and_user_and_reads_the_created_process() {
    ridley.route(
        "POST /api/v1/pipelines/divide/processes",
        r -> new Answer(201, started("CREATED", "RUNNING")));

    StartResult result =
        client.start(
            "divide",
            StartRequest.of(Map.of("x", 1, "y", 2)).withCustomId("order-7").withUser("ann"));

    Request sent = ridley.requests("/processes").get(0);
    assertThat(sent.body())
        .isEqualTo(
            json(
                "{\"customId\": \"order-7\", \"user\": \"ann\","
                    + " \"payload\": {\"x\": 1, \"y\": 2}}"));
    assertThat(result.result()).isEqualTo(StartResult.Result.CREATED);
    ProcessInfo process = result.process();
    assertThat(process.id()).isEqualTo(ID);
    assertThat(process.status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(process.payload()).isEqualTo(json("{\"x\": 1, \"y\": 2}"));
    assertThat(process.lastSeen())
        .isEqualTo(new LastSeen("divide", Instant.parse("2025-01-02T03:04:05.123Z")));
    assertThat(process.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(process.finishedAt()).isNull();
    assertThat(process.output().isNull()).isTrue();
    assertThat(process.attempts()).isEqualTo(1);
  }

  @Test
  void a_conflicting_start_is_a_result_not_an_exception() {
    ridley.route(
        "POST /api/v1/pipelines/divide/processes",
        r -> new Answer(409, started("CONFLICT", "SUCCEEDED")));

    StartResult result = client.start("divide", StartRequest.of(1).withCustomId("order-7"));

    assertThat(result.result()).isEqualTo(StartResult.Result.CONFLICT);
    assertThat(result.process().status()).isEqualTo(ProcessStatus.SUCCEEDED);
  }

  @Test
  void a_refused_start_throws_with_the_status_and_the_problem_detail() {
    ridley.route(
        "POST /api/v1/pipelines/nope/processes",
        r -> Answer.problem(404, "pipeline nope is not defined"));

    assertThatThrownBy(() -> client.start("nope", StartRequest.of(1)))
        .isInstanceOfSatisfying(
            RidleyClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.detail()).isEqualTo("pipeline nope is not defined");
              assertThat(e.getMessage()).contains("404").contains("pipeline nope is not defined");
            });
  }

  @Test
  void get_reads_a_finished_process_with_its_error_and_is_empty_for_an_unknown_id() {
    ObjectNode failed = process("FAILED");
    failed.put("finishedAt", "2025-01-02T03:04:06+00:00");
    failed.putObject("error").put("type", "java.lang.ArithmeticException").put("message", "/ 0");
    failed.put("somethingNew", "ignored");
    ridley.route("GET /api/v1/processes/" + ID, r -> new Answer(200, failed));

    ProcessInfo process = client.get(ID).orElseThrow();

    assertThat(process.status()).isEqualTo(ProcessStatus.FAILED);
    assertThat(process.finishedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:06Z"));
    assertThat(process.error())
        .isEqualTo(new ErrorInfo("java.lang.ArithmeticException", "/ 0", null));
    assertThat(client.get(UUID.randomUUID())).isEmpty();
  }

  @Test
  void search_sends_the_criteria_as_query_parameters_and_reads_the_page() {
    ObjectNode page = JSON.createObjectNode();
    page.putArray("items").add(process("LOST"));
    page.put("nextCursor", "abc");
    ridley.route("GET /api/v1/processes", r -> new Answer(200, page));

    ProcessPage result =
        client.search(
            ProcessQuery.builder()
                .pipeline("divide")
                .status(ProcessStatus.LOST)
                .user("ann b")
                .seenBefore(Instant.parse("2025-01-02T03:04:05Z"))
                .limit(10)
                .build());

    assertThat(ridley.requests("/api/v1/processes").get(0).query())
        .isEqualTo(
            "pipeline=divide&status=LOST&user=ann+b&seenBefore=2025-01-02T03%3A04%3A05Z"
                + "&limit=10");
    assertThat(result.items()).extracting(ProcessInfo::status).containsExactly(ProcessStatus.LOST);
    assertThat(result.nextCursor()).isEqualTo("abc");
    assertThat(result.hasMore()).isTrue();
  }

  @Test
  void an_unreachable_server_throws_with_status_zero() {
    try (RidleyClient nowhere = RidleyClient.create(URI.create("http://127.0.0.1:1"))) {
      assertThatThrownBy(() -> nowhere.get(ID))
          .isInstanceOfSatisfying(
              RidleyClientException.class, e -> assertThat(e.status()).isZero());
    }
  }

  private static ObjectNode started(String result, String status) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("result", result);
    answer.set("process", process(status));
    return answer;
  }

  private static ObjectNode process(String status) {
    ObjectNode p = JSON.createObjectNode();
    p.put("id", ID.toString());
    p.put("pipeline", "divide");
    p.put("customId", "order-7");
    p.put("user", "ann");
    p.put("status", status);
    p.set("payload", json("{\"x\": 1, \"y\": 2}"));
    p.putObject("lastSeen").put("stage", "divide").put("at", "2025-01-02T03:04:05.123Z");
    p.put("createdAt", "2025-01-02T03:04:05Z");
    p.putNull("finishedAt");
    p.putNull("output");
    p.putNull("error");
    p.putNull("lostReason");
    p.put("attempts", 1);
    return p;
  }
}
