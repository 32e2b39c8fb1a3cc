package dev.ridley.server.amqp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ridley.engine.TaskReport;
import dev.ridley.server.http.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One message a worker sent to {@code ridley.results}: {@code started}, {@code heartbeat}, or a
 * result shaped as one item of the HTTP batch report. Read as strictly as the HTTP API reads a
 * body: unknown keys and duplicate keys are refused, never ignored.
 */
record ResultMessage(Kind kind, UUID taskId, String worker, TaskReport report) {

  enum Kind { STARTED, HEARTBEAT, RESULT }

  static final Set<String> STARTED_KEYS = Set.of("id", "event", "worker");
  static final Set<String> HEARTBEAT_KEYS = Set.of("id", "event", "details");

  private static final JsonMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** @throws IllegalArgumentException saying what is wrong with the message */
  static ResultMessage parse(byte[] body) {
    JsonNode n;
    try {
      n = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a message on " + Topology.RESULTS + " is a JSON object with the task 'id'");
    }
    if (!n.has("event")) {
      return new ResultMessage(Kind.RESULT, null, null, WireFormat.result(n));
    }
    String event = n.get("event").asText();
    UUID id = id(n);
    return switch (event) {
      case "started" -> {
        keys(n, STARTED_KEYS, event);
        JsonNode w = n.get("worker");
        if (w != null && !w.isNull() && (!w.isTextual() || w.textValue().isBlank() || w.textValue().length() > 200)) {
          throw new IllegalArgumentException("'worker' must be a worker id of 1 to 200 characters");
        }
        yield new ResultMessage(Kind.STARTED, id, w == null || w.isNull() ? null : w.textValue(), null);
      }
      case "heartbeat" -> {
        keys(n, HEARTBEAT_KEYS, event);
        yield new ResultMessage(Kind.HEARTBEAT, id, null, null);
      }
      default -> throw new IllegalArgumentException("unknown event '" + event
          + "'; a message is {\"event\": \"started\"}, {\"event\": \"heartbeat\"}, or a result without 'event'");
    };
  }

  /** The task id a message names, if it can be read at all; null otherwise. */
  static UUID taskIdIn(byte[] body) {
    try {
      JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      return n != null && n.path("id").isTextual() ? UUID.fromString(n.path("id").textValue()) : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static UUID id(JsonNode n) {
    JsonNode id = n.get("id");
    if (id == null || !id.isTextual()) throw new IllegalArgumentException("the message needs the task 'id'");
    try {
      return UUID.fromString(id.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'id' is not a task id: " + id.textValue());
    }
  }

  private static void keys(JsonNode n, Set<String> allowed, String event) {
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) unknown.add(k);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown key(s) " + unknown + " in a '" + event + "' message; it takes "
          + allowed.stream().sorted().toList());
    }
  }
}
