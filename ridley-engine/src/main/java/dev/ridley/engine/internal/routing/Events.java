package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.internal.store.TaskRows;
import java.time.Instant;
import java.util.UUID;

/**
 * Journal event types and constructors. Types are dotted: the subject, then what happened to it.
 */
public final class Events {

  public static final String PROCESS_STARTED = "process.started";
  public static final String PROCESS_ROUTED = "process.routed";
  public static final String PROCESS_SUCCEEDED = "process.succeeded";
  public static final String PROCESS_FAILED = "process.failed";
  public static final String PROCESS_LOST = "process.lost";
  public static final String PROCESS_PARKED = "process.parked";
  public static final String PROCESS_REPLAYED = "process.replayed";
  public static final String PROCESS_CANCELLED = "process.cancelled";
  public static final String TASK_ENQUEUED = "task.enqueued";
  public static final String TASK_CLAIMED = TaskRows.CLAIMED;
  public static final String TASK_COMPLETED = "task.completed";
  public static final String TASK_FAILED = "task.failed";
  public static final String TASK_TIMED_OUT = "task.timed_out";
  public static final String TASK_CANCELLED = "task.cancelled";

  private Events() {}

  public static JournalEvent ofProcess(UUID processId, Instant at, String type, ObjectNode data) {
    return new JournalEvent(0, processId, at, type, null, null, null, data);
  }

  public static JournalEvent ofTask(TaskView t, Instant at, String type, ObjectNode data) {
    return new JournalEvent(0, t.processId(), at, type, t.id(), t.stage(), t.attempt(), data);
  }

  public static ObjectNode data() {
    return Json.object();
  }
}
