package dev.ridley.worker;

import static dev.ridley.worker.FakeRidley.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.worker.FakeRidley.Answer;
import dev.ridley.worker.FakeRidley.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkerResultsTest {

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private RidleyWorker worker;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void a_returned_value_is_reported_as_the_ok_outcome_with_its_output() {
    UUID task = ridley.enqueue("divide", json("{\"x\": 1, \"y\": 2}"));
    start(t -> t.input().get("x").asDouble() / t.input().get("y").asDouble());

    Request result = awaitResult(task);

    assertThat(result.path()).endsWith("/complete");
    assertThat(result.body()).isEqualTo(json("{\"outcome\": \"ok\", \"output\": 0.5}"));
  }

  @Test
  void a_returned_null_is_reported_as_ok_with_a_null_output() {
    UUID task = ridley.enqueue("divide", json("{}"));
    start(t -> null);

    assertThat(awaitResult(task).body()).isEqualTo(json("{\"outcome\": \"ok\", \"output\": null}"));
  }

  record Division(double x, double y) {}

  @Test
  void the_input_maps_to_a_type_and_any_serializable_value_is_an_output() {
    UUID task = ridley.enqueue("divide", json("{\"x\": 3, \"y\": 4, \"extra\": true}"));
    start(t -> Map.of("division", t.input(Division.class)));

    assertThat(awaitResult(task).body().get("output"))
        .isEqualTo(json("{\"division\": {\"x\": 3.0, \"y\": 4.0}}"));
  }

  @Test
  void a_thrown_exception_is_reported_as_a_retryable_failure_with_type_message_and_stack() {
    UUID task = ridley.enqueue("divide", json("{\"x\": 1, \"y\": 0}"));
    start(
        t -> {
          throw new ArithmeticException("division by zero: 1 / 0");
        });

    Request result = awaitResult(task);

    assertThat(result.path()).endsWith("/fail");
    JsonNode error = result.body().get("error");
    assertThat(error.get("type").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(error.get("message").asText()).isEqualTo("division by zero: 1 / 0");
    assertThat(error.get("stack").asText())
        .startsWith("java.lang.ArithmeticException: division by zero: 1 / 0")
        .contains("at dev.ridley.worker.WorkerResultsTest");
    assertThat(result.body().get("retryable").asBoolean()).isTrue();
  }

  @Test
  void a_named_outcome_is_reported_with_its_name_and_output() {
    UUID task = ridley.enqueue("divide", json("{\"x\": 1, \"y\": -1}"));
    start(t -> Outcome.of("invalid", Map.of("reason", "y is negative")));

    Request result = awaitResult(task);

    assertThat(result.path()).endsWith("/complete");
    assertThat(result.body())
        .isEqualTo(json("{\"outcome\": \"invalid\", \"output\": {\"reason\": \"y is negative\"}}"));
  }

  @Test
  void a_failed_outcome_is_reported_with_its_error_and_retryability() {
    UUID task = ridley.enqueue("divide", json("{}"));
    start(t -> Outcome.failed(ErrorInfo.of("BadInput", "x is missing"), false));

    Request result = awaitResult(task);

    assertThat(result.path()).endsWith("/fail");
    assertThat(result.body())
        .isEqualTo(
            json(
                "{\"error\": {\"type\": \"BadInput\", \"message\": \"x is missing\"},"
                    + " \"retryable\": false}"));
  }

  @Test
  void a_task_for_a_stage_without_handler_is_failed_so_another_worker_can_take_it() {
    UUID task = ridley.enqueue("ocean", json("0.5"));
    start(t -> "never called");

    Request result = awaitResult(task);

    assertThat(result.path()).endsWith("/fail");
    assertThat(result.body().at("/error/message").asText()).contains("no handler for stage ocean");
    assertThat(result.body().get("retryable").asBoolean()).isTrue();
  }

  @Test
  void a_result_refused_with_503_is_sent_again_until_accepted() {
    AtomicInteger refusals = new AtomicInteger();
    ridley.route(
        "POST /api/v1/tasks/.*/complete",
        r -> refusals.incrementAndGet() <= 2 ? Answer.problem(503, "restarting") : null);
    UUID task = ridley.enqueue("divide", json("{}"));
    start(t -> "done");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ridley.requestsFor(task, "complete").size() == 3);
    worker.close();

    assertThat(ridley.requestsFor(task, "complete")).hasSize(3);
  }

  @Test
  void a_result_refused_with_400_is_dropped_without_retries() {
    ridley.route("POST /api/v1/tasks/.*/complete", r -> Answer.problem(400, "output too deep"));
    UUID task = ridley.enqueue("divide", json("{}"));
    try (LogCapture logs = new LogCapture()) {
      start(t -> "done");

      awaitResult(task);
      worker.close();

      assertThat(ridley.requestsFor(task, "complete")).hasSize(1);
      assertThat(logs.warningsAbout(task.toString())).hasSize(1);
    }
  }

  private void start(TaskHandler handler) {
    worker =
        ridley.worker("results-test")
            .handle("divide", handler)
            .build()
            .start();
  }

  private Request awaitResult(UUID task) {
    List<Request> results =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> ridley.results().stream().filter(r -> r.taskId().equals(task)).toList(),
                list -> !list.isEmpty());
    return results.get(0);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
