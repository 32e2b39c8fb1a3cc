package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.internal.store.TaskRows;
import java.time.Instant;
import java.util.UUID;

/**
 * Constructors of journal events; their types are the constants of {@link JournalEvent}.
 */
public final class Events {

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
