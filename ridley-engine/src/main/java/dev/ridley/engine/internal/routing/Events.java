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

  public static final String PROCESS_STARTED = JournalEvent.PROCESS_STARTED;
  public static final String PROCESS_ROUTED = JournalEvent.PROCESS_ROUTED;
  public static final String PROCESS_SUCCEEDED = JournalEvent.PROCESS_SUCCEEDED;
  public static final String PROCESS_FAILED = JournalEvent.PROCESS_FAILED;
  public static final String PROCESS_LOST = JournalEvent.PROCESS_LOST;
  public static final String PROCESS_PARKED = JournalEvent.PROCESS_PARKED;
  public static final String PROCESS_REPLAYED = JournalEvent.PROCESS_REPLAYED;
  public static final String PROCESS_CANCELLED = JournalEvent.PROCESS_CANCELLED;
  public static final String TASK_ENQUEUED = JournalEvent.TASK_ENQUEUED;
  public static final String TASK_CLAIMED = JournalEvent.TASK_CLAIMED;
  public static final String TASK_RELEASED = JournalEvent.TASK_RELEASED;
  public static final String TASK_COMPLETED = JournalEvent.TASK_COMPLETED;
  public static final String TASK_FAILED = JournalEvent.TASK_FAILED;
  public static final String TASK_TIMED_OUT = JournalEvent.TASK_TIMED_OUT;
  public static final String TASK_CANCELLED = JournalEvent.TASK_CANCELLED;

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
