package dev.ridley.worker.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Eliot messages go, one JSON object per message (Eliot's own format, so {@code
 * eliot-tree} and {@code ridley tree} read it), and where tasks start or continue.
 *
 * <pre>{@code
 * EliotLog log = EliotLog.toFile(Path.of("service.log"));
 * try (Action remote = log.continueTask(request.header(TraceHeaders.ELIOT_TASK_ID))) {
 *   ...
 * }
 * }</pre>
 */
public final class EliotLog implements AutoCloseable {

  /** The action type Eliot gives an action continuing a task from another process. */
  public static final String REMOTE_TASK = "eliot:remote_task";

  private static final Set<String> RESERVED =
      Set.of("task_uuid", "task_level", "timestamp", "action_type", "action_status", "message_type");
  private static final Logger LOG = LoggerFactory.getLogger(EliotLog.class);

  private final Consumer<? super ObjectNode> sink;
  private final AutoCloseable resource;
  private final ObjectMapper mapper = Json.newMapper();
  private final Clock clock = Clock.systemUTC();
  private EliotLog(Consumer<? super ObjectNode> sink, AutoCloseable resource) {
    this.sink = sink;
    this.resource = resource;
  }

  /**
   * Appends messages to a file, one line each, flushed as written so a crash loses none.
   *
   * @throws UncheckedIOException when the file cannot be opened for appending
   */
  public static EliotLog toFile(Path file) {
    try {
      Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      LineSink lines = new LineSink(out, file.toString());
      return new EliotLog(lines, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the Eliot log " + file.toAbsolutePath() + " for appending: " + e.getMessage(), e);
    }
  }

  /** Writes messages to standard output, one line each. */
  public static EliotLog toStdout() {
    ObjectMapper m = Json.newMapper();
    return new EliotLog(msg -> {
      try {
        System.out.println(m.writeValueAsString(msg));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }, null);
  }

  /** Hands each message to {@code messages}, e.g. to keep them or to pass them to another logger. */
  public static EliotLog to(Consumer<? super ObjectNode> messages) {
    return new EliotLog(messages, null);
  }

  /** Starts a new task: a root action with a new random task uuid. */
  public Action startTask(String actionType) {
    return startTask(actionType, Map.of());
  }

  public Action startTask(String actionType, Map<String, ?> fields) {
    return new Action(this, null, UUID.randomUUID().toString(), Level.ROOT, actionType, fields);
  }

  /**
   * Continues a task another process started, at the place its serialized id names (Eliot's
   * {@code Action.continue_task}): an {@value #REMOTE_TASK} action that nests under the sender's
   * action when the logs are merged.
   *
   * @param taskId a serialized task id, {@code <task_uuid>@/2/3}, e.g. the {@value
   *     TraceHeaders#ELIOT_TASK_ID} header
   * @throws IllegalArgumentException when the id is not of that form
   */
  public Action continueTask(String taskId) {
    return continueTask(taskId, REMOTE_TASK, Map.of());
  }

  /** As {@link #continueTask(String)}, with another action type and fields for its start. */
  public Action continueTask(String taskId, String actionType, Map<String, ?> fields) {
    int at = taskId == null ? -1 : taskId.indexOf('@');
    if (at < 1 || taskId.indexOf('@', at + 1) >= 0) {
      throw new IllegalArgumentException("'" + taskId + "' is not a serialized Eliot task id like <task_uuid>@/2/3");
    }
    return new Action(this, null, taskId.substring(0, at), Level.parse(taskId.substring(at + 1)), actionType, fields);
  }

  /**
   * Continues the task a request's headers name: its {@value TraceHeaders#ELIOT_TASK_ID}, else a
   * new task whose uuid is its W3C {@code traceparent}'s trace id (so requests of one trace group
   * together), else a new task.
   *
   * @param header the request's header by name, null when absent
   */
  public Action continueFromHeaders(Function<String, String> header) {
    String eliot = header.apply(TraceHeaders.ELIOT_TASK_ID);
    if (eliot != null && !eliot.isBlank()) {
      return continueTask(eliot.trim());
    }
    String parent = header.apply(TraceHeaders.TRACEPARENT);
    String uuid = parent == null ? null : TraceHeaders.taskUuidOf(parent).orElse(null);
    if (uuid != null) {
      return new Action(this, null, uuid, Level.ROOT, REMOTE_TASK, Map.of("traceparent", parent));
    }
    return startTask(REMOTE_TASK);
  }

  /** Writes an already formed Eliot message as it is, e.g. to relay another log's messages. */
  public void write(JsonNode message) {
    if (message == null || !message.isObject()) {
      throw new IllegalArgumentException("an Eliot message is a JSON object, was " + message);
    }
    sink.accept((ObjectNode) message);
  }

  @Override
  public void close() {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close the Eliot log: " + e);
      }
    }
  }

  void action(String taskUuid, Level level, String actionType, String status, ObjectNode fields) {
    ObjectNode m = head(taskUuid, level);
    m.put("action_type", actionType);
    m.put("action_status", status);
    sink.accept(m.setAll(fields));
  }

  void message(String taskUuid, Level level, String messageType, ObjectNode fields) {
    ObjectNode m = head(taskUuid, level);
    m.put("message_type", messageType);
    sink.accept(m.setAll(fields));
  }

  /** User fields as JSON; Eliot's own names are refused, so a message can never lie about its place. */
  ObjectNode fields(Map<String, ?> fields) {
    ObjectNode o = mapper.createObjectNode();
    if (fields == null) return o;
    fields.forEach((k, v) -> {
      if (RESERVED.contains(k)) {
        throw new IllegalArgumentException("field '" + k + "' is Eliot's own; name it otherwise");
      }
      o.set(k, mapper.valueToTree(v));
    });
    return o;
  }

  private ObjectNode head(String taskUuid, Level level) {
    ObjectNode m = mapper.createObjectNode();
    m.put("task_uuid", taskUuid);
    var levels = m.putArray("task_level");
    for (int p : level.parts()) levels.add(p);
    Instant now = clock.instant();
    // Seconds with microseconds, written plainly as Eliot writes them (not 1.7E9).
    m.set("timestamp", DecimalNode.valueOf(
        BigDecimal.valueOf(now.getEpochSecond()).add(BigDecimal.valueOf(now.getNano() / 1_000, 6))));
    return m;
  }

  /** One JSON object per line, flushed per message. */
  private static final class LineSink implements Consumer<ObjectNode> {
    private final Writer out;
    private final String name;
    private final ObjectMapper mapper = Json.newMapper();
    private volatile boolean warned;

    LineSink(Writer out, String name) {
      this.out = out;
      this.name = name;
    }

    @Override
    public void accept(ObjectNode message) {
      try {
        String text = mapper.writeValueAsString(message);
        synchronized (out) {
          out.write(text);
          out.write('\n');
          out.flush();
        }
      } catch (IOException e) {
        if (!warned) {
          warned = true; // once: a full disk must not flood the other logs
          LOG.warn("cannot write to the Eliot log " + name + ": " + e + "; messages are being lost");
        }
      }
    }
  }
}
