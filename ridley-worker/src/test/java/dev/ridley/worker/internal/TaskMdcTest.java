package dev.ridley.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TaskMdcTest {

  private final PolledTask task =
      new PolledTask(
          UUID.randomUUID(), UUID.randomUUID(), "orders", "charge", 1, NullNode.instance, null, null);

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void the_ids_are_there_while_the_task_runs_and_gone_after() {
    try (TaskMdc ids = TaskMdc.put(task)) {
      assertThat(MDC.get("processId")).isEqualTo(task.processId().toString());
      assertThat(MDC.get("taskId")).isEqualTo(task.id().toString());
      assertThat(MDC.get("pipeline")).isEqualTo("orders");
      assertThat(MDC.get("stage")).isEqualTo("charge");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void what_the_thread_had_before_is_put_back() {
    MDC.put("taskId", "outer");
    MDC.put("requestId", "r-1");
    try (TaskMdc ids = TaskMdc.put(task)) {
      assertThat(MDC.get("taskId")).isEqualTo(task.id().toString());
      assertThat(MDC.get("requestId")).isEqualTo("r-1");
    }
    assertThat(MDC.get("taskId")).isEqualTo("outer");
    assertThat(MDC.get("requestId")).isEqualTo("r-1");
    assertThat(MDC.get("stage")).isNull();
  }
}
