package dev.ridley.engine.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ridley.engine.ErrorInfo;
import java.io.UncheckedIOException;

/** The one JSON mapper of the engine, and conversions used by the row classes. */
public final class Json {

  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  public static String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ErrorInfo readError(String text) {
    JsonNode n = read(text);
    if (n == null || n.isNull()) {
      return null;
    }
    return new ErrorInfo(
        n.path("type").asText("Error"),
        n.path("message").isNull() ? null : n.path("message").asText(null),
        n.path("stack").isMissingNode() || n.path("stack").isNull() ? null : n.path("stack").asText());
  }

  public static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
