package dev.ridley.worker;

import static dev.ridley.worker.FakeRidley.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.FakeRidley.Request;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a handler logs travels back with its result, nested under the task id it was given. */
class EliotHandlerTraceTest {

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private RidleyWorker worker;
  private final List<ObjectNode> workerLog = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (worker != null) worker.close();
  }

  @Test
  void a_handlers_actions_travel_with_its_result_under_its_task_id() {
    UUID task = ridley.enqueue("divide", JSON.createObjectNode().put("x", 1).put("y", 2));
    start(t -> {
      try (Action a = t.startAction("divide:compute", Map.of("x", 1, "y", 2))) {
        t.log("divide:note", Map.of("inside", a.actionType()));
        a.addSuccessFields(Map.of("q", 0.5));
      }
      return 0.5;
    });

    JsonNode actions = awaitResult(task).body().path("actions");
    List<String> summary = new ArrayList<>();
    actions.forEach(m -> summary.add(m.path("task_level") + " " + m.path("action_type").asText(m.path("message_type").asText())
        + " " + m.path("action_status").asText("")));
    assertThat(summary).containsExactly(
        "[2,3,1] ridley:handler started",
        "[2,3,2,1] divide:compute started",
        "[2,3,2,2] divide:note ",
        "[2,3,2,3] divide:compute succeeded",
        "[2,3,3] ridley:handler succeeded");
    String processId = ridley.results().getFirst().body().path("actions").get(0).path("task_uuid").asText();
    assertThat(actions.get(0).path("stage").asText()).isEqualTo("divide");
    assertThat(actions.get(4).path("outcome").asText()).isEqualTo("ok");
    assertThat(actions).allSatisfy(m -> assertThat(m.path("task_uuid").asText()).isEqualTo(processId));
  }

  @Test
  void a_handler_that_logs_nothing_sends_no_actions() {
    UUID task = ridley.enqueue("divide", JSON.createObjectNode());
    start(t -> "done");
    assertThat(awaitResult(task).body().has("actions")).isFalse();
  }

  @Test
  void a_handler_that_throws_ends_its_action_failed_with_exception_and_reason() {
    UUID task = ridley.enqueue("divide", JSON.createObjectNode().put("y", 0));
    start(t -> t.startAction("divide:compute").call(() -> 1 / t.input().path("y").asInt()));

    Request result = awaitResult(task);
    assertThat(result.path()).endsWith("/fail");
    JsonNode actions = result.body().path("actions");
    JsonNode compute = actions.get(2);
    assertThat(compute.path("action_status").asText()).isEqualTo("failed");
    assertThat(compute.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(compute.path("reason").asText()).isEqualTo("/ by zero");
    JsonNode handler = actions.get(3);
    assertThat(handler.path("action_type").asText()).isEqualTo("ridley:handler");
    assertThat(handler.path("action_status").asText()).isEqualTo("failed");
    assertThat(handler.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
  }

  @Test
  void a_worker_with_a_trace_log_also_writes_every_handlers_actions_there() {
    UUID task = ridley.enqueue("divide", JSON.createObjectNode());
    start(t -> "done");
    awaitResult(task);
    assertThat(workerLog).extracting(m -> m.path("action_status").asText())
        .containsExactly("started", "succeeded");
    assertThat(workerLog.getFirst().path("task_level").toString()).isEqualTo("[2,3,1]");
  }

  private void start(TaskHandler handler) {
    worker = ridley.worker("trace-test")
        .traceLog(EliotLog.to(workerLog::add))
        .handle("divide", handler)
        .build()
        .start();
  }

  private Request awaitResult(UUID task) {
    return await().atMost(Duration.ofSeconds(5))
        .until(() -> ridley.results().stream().filter(r -> r.taskId().equals(task)).toList(), l -> !l.isEmpty())
        .getFirst();
  }
}
