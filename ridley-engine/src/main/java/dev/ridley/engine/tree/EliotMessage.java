package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Set;

/**
 * One Eliot message: a JSON object with Eliot's fields ({@code task_uuid}, {@code task_level},
 * {@code timestamp}, and {@code action_type} + {@code action_status} or {@code message_type}) and
 * any others. Treat the JSON as read-only; the {@code with…} methods copy.
 */
public record EliotMessage(ObjectNode json) {

  public static final String TASK_UUID = "task_uuid";
  public static final String TASK_LEVEL = "task_level";
  public static final String TIMESTAMP = "timestamp";
  public static final String ACTION_TYPE = "action_type";
  public static final String ACTION_STATUS = "action_status";
  public static final String MESSAGE_TYPE = "message_type";
  public static final String STARTED = "started";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  /** A failed action's end message names the error's type here, and its message in REASON. */
  public static final String EXCEPTION = "exception";
  public static final String REASON = "reason";

  /** The fields Eliot itself writes; everything else is the message's own. */
  public static final Set<String> RESERVED =
      Set.of(TASK_UUID, TASK_LEVEL, TIMESTAMP, ACTION_TYPE, ACTION_STATUS, MESSAGE_TYPE);

  private static final Set<String> STATUSES = Set.of(STARTED, SUCCEEDED, FAILED);

  /**
   * Reads a JSON object as an Eliot message.
   *
   * @throws IllegalArgumentException naming the first thing that makes it not one
   */
  public static EliotMessage of(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("an Eliot message is a JSON object, this is " + json);
    }
    if (!json.path(TASK_UUID).isTextual() || json.get(TASK_UUID).asText().isBlank()) {
      throw new IllegalArgumentException("no task_uuid (a string)");
    }
    TaskLevel.fromJson(json.get(TASK_LEVEL));
    JsonNode ts = json.path(TIMESTAMP);
    // Years 0 to 9999 in seconds: beyond that a timestamp is a mistake (milliseconds, say).
    if (!ts.isNumber() || ts.asDouble() < -62_135_596_800d || ts.asDouble() > 253_402_300_799d) {
      throw new IllegalArgumentException("no timestamp (seconds since the epoch, a number), was " + ts);
    }
    if (json.hasNonNull(ACTION_TYPE)) {
      if (!STATUSES.contains(json.path(ACTION_STATUS).asText())) {
        throw new IllegalArgumentException(
            "action_status must be started, succeeded or failed, was " + json.get(ACTION_STATUS));
      }
    }
    return new EliotMessage((ObjectNode) json);
  }

  /** An action's start or end message. */
  public static EliotMessage action(
      String taskUuid, TaskLevel level, Instant at, String actionType, String status, ObjectNode fields) {
    ObjectNode o = head(taskUuid, level, at);
    o.put(ACTION_TYPE, actionType);
    o.put(ACTION_STATUS, status);
    return new EliotMessage(withFields(o, fields));
  }

  /** A message logged inside an action. */
  public static EliotMessage message(
      String taskUuid, TaskLevel level, Instant at, String messageType, ObjectNode fields) {
    ObjectNode o = head(taskUuid, level, at);
    o.put(MESSAGE_TYPE, messageType);
    return new EliotMessage(withFields(o, fields));
  }

  /**
   * Seconds since the epoch with microseconds, written plainly ({@code 1767225600.123456}) as
   * Eliot writes them, not in the exponent form Jackson uses for doubles.
   */
  public static DecimalNode seconds(Instant at) {
    BigDecimal s = BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano() / 1_000, 6));
    return DecimalNode.valueOf(s.setScale(6, RoundingMode.UNNECESSARY));
  }

  public String taskUuid() {
    return json.get(TASK_UUID).asText();
  }

  public TaskLevel level() {
    return TaskLevel.fromJson(json.get(TASK_LEVEL));
  }

  public double timestamp() {
    return json.get(TIMESTAMP).asDouble();
  }

  public Instant at() {
    BigDecimal s = json.get(TIMESTAMP).decimalValue();
    long whole = s.setScale(0, RoundingMode.FLOOR).longValueExact();
    long micros = s.subtract(BigDecimal.valueOf(whole)).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValue();
    return Instant.ofEpochSecond(whole, micros * 1_000);
  }

  public boolean isAction() {
    return json.hasNonNull(ACTION_TYPE);
  }

  public String actionType() {
    return text(ACTION_TYPE);
  }

  public String actionStatus() {
    return text(ACTION_STATUS);
  }

  public String messageType() {
    return text(MESSAGE_TYPE);
  }

  /** The action's or message's type, whichever this is; null when it has neither. */
  public String type() {
    return isAction() ? actionType() : messageType();
  }

  /** The message's own fields: all but Eliot's. */
  public ObjectNode fields() {
    ObjectNode o = json.deepCopy();
    o.remove(RESERVED);
    return o;
  }

  /** A copy moved to another task and level, its timestamp written as Eliot writes it. */
  public EliotMessage withLocation(String taskUuid, TaskLevel level) {
    ObjectNode o = head(taskUuid, level, at());
    json.properties().forEach(e -> {
      if (!o.has(e.getKey())) o.set(e.getKey(), e.getValue());
    });
    return new EliotMessage(o);
  }

  private String text(String field) {
    JsonNode n = json.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static ObjectNode head(String taskUuid, TaskLevel level, Instant at) {
    ObjectNode o = TreeMapper.object();
    o.put(TASK_UUID, taskUuid);
    o.set(TASK_LEVEL, level.toJson());
    o.set(TIMESTAMP, seconds(at));
    return o;
  }

  private static ObjectNode withFields(ObjectNode o, ObjectNode fields) {
    if (fields != null) {
      fields.properties().forEach(e -> {
        if (!RESERVED.contains(e.getKey())) o.set(e.getKey(), e.getValue());
      });
    }
    return o;
  }
}
