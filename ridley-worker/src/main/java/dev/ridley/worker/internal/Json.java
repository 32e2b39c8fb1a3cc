package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** JSON helpers for the wire protocol. Lenient when reading, so a newer server stays readable. */
public final class Json {

  /**
   * Reads and writes the protocol's envelopes. Payloads and outputs go through the user's mapper
   * instead, so a user's configuration can never change the protocol.
   */
  static final ObjectMapper PROTOCOL = newMapper();

  private Json() {}

  /** The default mapper for payloads: java.time as ISO strings, unknown properties ignored. */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  public static ObjectNode object() {
    return PROTOCOL.createObjectNode();
  }

  /** Absent and null both read as JSON null, so callers never see a Java null for a JSON value. */
  static JsonNode value(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    return node == null ? NullNode.getInstance() : node;
  }

  static String text(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  static UUID uuid(JsonNode parent, String field) {
    String text = text(parent, field);
    if (text == null) {
      throw new IllegalArgumentException("field \"" + field + "\" is missing");
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field \"" + field + "\" is not a UUID: " + text, e);
    }
  }

  /** ISO-8601 with Z or an offset; epoch seconds too, in case a server writes timestamps. */
  static Instant instant(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      BigDecimal seconds = node.decimalValue();
      return Instant.ofEpochSecond(
          seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    String text = node.asText();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        throw new IllegalArgumentException("field \"" + field + "\" is not an instant: " + text, e);
      }
    }
  }
}
