package dev.ridley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Reading requests: bounded JSON bodies, ids and parameters, each failing with a clear 4xx. */
final class Bodies {

  private final long maxBytes;

  Bodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The request body as JSON; an empty body reads as an empty object. */
  JsonNode json(Context ctx) {
    if (ctx.contentLength() > maxBytes) {
      throw tooLarge(ctx.contentLength());
    }
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(-1);
    }
    if (bytes.length == 0) {
      return Json.object();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      return node == null ? Json.object() : node;
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest(
          "the request body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body as a JSON object, or 400. */
  JsonNode object(Context ctx) {
    JsonNode n = json(ctx);
    if (!n.isObject()) {
      throw HttpProblem.badRequest("the request body must be a JSON object, was " + n.getNodeType().name().toLowerCase());
    }
    return n;
  }

  private HttpProblem tooLarge(long length) {
    return HttpProblem.tooLarge(
        "the request body is larger than the limit of " + maxBytes + " bytes"
            + (length > 0 ? " (" + length + " bytes)" : "")
            + "; send a smaller payload, or raise RIDLEY_MAX_PAYLOAD_BYTES on the server");
  }

  static UUID uuid(String text, String what) {
    try {
      if (text.length() != 36) throw new IllegalArgumentException();
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("'" + text + "' is not a " + what + " id; ids are UUIDs like 0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a");
    }
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw HttpProblem.badRequest("'" + field + "' must be a string, was " + n.getNodeType().name().toLowerCase());
    }
    return n.asText();
  }

  static int integer(JsonNode body, String field, int fallback) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw HttpProblem.badRequest("'" + field + "' must be a whole number, was " + n);
    }
    return n.asInt();
  }

  static boolean bool(JsonNode body, String field, boolean fallback) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw HttpProblem.badRequest("'" + field + "' must be true or false, was " + n);
    }
    return n.asBoolean();
  }

  /** An ISO-8601 instant, or a duration meaning "that long before now". */
  static Instant instantOrAgo(String text, String param, Instant now) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return now.minus(Duration.parse(text));
      } catch (DateTimeParseException notDuration) {
        throw HttpProblem.badRequest(
            "'" + param + "=" + text + "' is neither an ISO-8601 instant (2026-11-22T10:15:30Z)"
                + " nor a duration (PT30S, PT5M)");
      }
    }
  }
}
