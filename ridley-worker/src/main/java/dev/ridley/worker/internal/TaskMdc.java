package dev.ridley.worker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the task's ids into SLF4J's MDC while it runs, so the handler's own log lines carry them,
 * and puts back what the thread had before.
 */
final class TaskMdc implements AutoCloseable {

  static final String PROCESS_ID = "processId";
  static final String TASK_ID = "taskId";
  static final String PIPELINE = "pipeline";
  static final String STAGE = "stage";

  private final Map<String, String> before = new LinkedHashMap<>();

  private TaskMdc(PolledTask task) {
    set(PROCESS_ID, task.processId() == null ? null : task.processId().toString());
    set(TASK_ID, task.id() == null ? null : task.id().toString());
    set(PIPELINE, task.pipeline());
    set(STAGE, task.stage());
  }

  static TaskMdc put(PolledTask task) {
    return new TaskMdc(task);
  }

  private void set(String key, String value) {
    before.put(key, MDC.get(key));
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    before.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}
