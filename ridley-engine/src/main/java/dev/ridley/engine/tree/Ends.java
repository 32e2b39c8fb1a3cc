package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fields of end messages. A failed action names what went wrong as Eliot does: {@code
 * exception} (the error's type) and {@code reason} (its message, for a person).
 */
final class Ends {

  private Ends() {}

  static ObjectNode status(String status) {
    return TreeMapper.object().put("status", status);
  }

  /** Puts {@code exception} and {@code reason} from an error object, {@code fallback} as type. */
  static ObjectNode error(ObjectNode fields, JsonNode error, String fallback) {
    String type = error.path("type").asText("");
    fields.put(EliotMessage.EXCEPTION, type.isBlank() ? fallback : type);
    fields.put(EliotMessage.REASON, error.path("message").asText(""));
    return fields;
  }

  static ObjectNode failed(JsonNode data) {
    return error(status("FAILED"), data.path("error"), "Failed");
  }

  static ObjectNode lost(JsonNode data) {
    ObjectNode f = status("LOST");
    JsonNode error = data.path("error");
    f.put(EliotMessage.EXCEPTION, error.path("type").asText("Lost"));
    String reason = data.hasNonNull("message") ? data.get("message").asText() : error.path("message").asText("");
    f.put(EliotMessage.REASON, reason.isBlank() ? "the process stopped moving" : reason);
    f.set("lostReason", data.path("reason"));
    return f;
  }

  static ObjectNode parked(JsonNode data) {
    ObjectNode f = status("PARKED");
    String stage = data.path("stage").asText("?");
    String to = data.path("to").asText(stage);
    StringBuilder reason = new StringBuilder("parked at stage '" + stage + "'; a replay resumes at '" + to + "'");
    if (data.hasNonNull("replayAfterMs")) {
      reason.append(", automatically after ").append(data.get("replayAfterMs").asLong()).append(" ms");
    }
    f.put(EliotMessage.EXCEPTION, "Parked");
    f.put(EliotMessage.REASON, reason.toString());
    return f;
  }

  static ObjectNode cancelled(JsonNode data) {
    ObjectNode f = status("CANCELLED");
    f.put(EliotMessage.EXCEPTION, "Cancelled");
    f.put(EliotMessage.REASON, data.path("reason").asText("cancelled"));
    if (data.hasNonNull("actor")) f.put("cancelledBy", data.path("actor").asText());
    return f;
  }
}
