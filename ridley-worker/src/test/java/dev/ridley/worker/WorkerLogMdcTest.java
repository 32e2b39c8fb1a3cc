package dev.ridley.worker;

import static dev.ridley.worker.FakeRidley.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A handler's own log lines carry the ids of the task it runs, through SLF4J's MDC. */
class WorkerLogMdcTest {

  private static final Logger HANDLER_LOG = LoggerFactory.getLogger("dev.ridley.worker.handler");

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private RidleyWorker worker;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void a_handlers_log_line_carries_process_task_pipeline_and_stage() {
    try (LogCapture logs = new LogCapture()) {
      UUID task = ridley.enqueue("divide", json("{\"x\": 1}"));
      List<TaskContext> ran = new CopyOnWriteArrayList<>();
      start(
          t -> {
            ran.add(t);
            HANDLER_LOG.info("dividing {}", t.input());
            return 1;
          });

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !ridley.requestsFor(task, "complete").isEmpty());

      List<ILoggingEvent> lines =
          logs.events().stream().filter(e -> e.getMessage().startsWith("dividing")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).getMDCPropertyMap())
          .containsEntry("processId", ran.get(0).processId().toString())
          .containsEntry("taskId", task.toString())
          .containsEntry("pipeline", "divide")
          .containsEntry("stage", "divide");
    }
  }

  @Test
  void the_sdks_own_lines_about_the_attempt_carry_its_ids_too() {
    ridley.route("POST /api/v1/tasks/.*/complete", r -> FakeRidley.Answer.problem(400, "output too deep"));
    try (LogCapture logs = new LogCapture()) {
      UUID task = ridley.enqueue("divide", json("{}"));
      start(t -> "done");

      await().atMost(Duration.ofSeconds(5)).until(() -> !logs.warningsAbout(task.toString()).isEmpty());

      assertThat(logs.events())
          .filteredOn(e -> e.getFormattedMessage().contains("refused"))
          .singleElement()
          .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("taskId", task.toString()));
    }
  }

  @Test
  void the_ids_stay_with_the_handler_and_do_not_leak_to_the_next_task_on_the_thread() {
    UUID first = ridley.enqueue("divide", json("{}"));
    UUID second = ridley.enqueue("divide", json("{}"));
    Map<UUID, String> seen = new ConcurrentHashMap<>();
    start(
        t -> {
          seen.put(t.id(), MDC.get("taskId"));
          return 1;
        });

    await().atMost(Duration.ofSeconds(5)).until(() -> ridley.results().size() == 2);

    assertThat(seen).containsEntry(first, first.toString()).containsEntry(second, second.toString());
  }

  private void start(TaskHandler handler) {
    worker = ridley.worker("mdc-test").handle("divide", handler).build().start();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
