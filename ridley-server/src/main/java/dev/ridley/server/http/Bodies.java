package dev.ridley.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/** Reading requests: bounded JSON bodies, ids and parameters, each failing with a clear 4xx. */
final class Bodies {

  private final long maxBytes;

  Bodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The deepest nesting of arrays and objects a body may have (the body itself is level 1). */
  static final int MAX_DEPTH = 64;

  /** The longest string in a body, in characters. */
  static final int MAX_STRING_LENGTH = 1024 * 1024;

  /** The longest number in a body, in characters. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper STRICT = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .maxNameLength(MAX_STRING_LENGTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .build())
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /**
   * The request body as JSON; an empty body reads as an empty object. Refused with 400: malformed
   * JSON or UTF-8, duplicate keys, nesting deeper than {@value #MAX_DEPTH}, strings over {@value
   * #MAX_STRING_LENGTH} characters, numbers over {@value #MAX_NUMBER_LENGTH} characters or too large
   * for a double, text with U+0000 or a lone surrogate; 413 over the body limit; 415 for a body
   * declared as anything but JSON.
   */
  /** The most of a refused body read and dropped before answering 413. */
  static final long DISCARD_LIMIT = 16L * 1024 * 1024;

  JsonNode json(Context ctx) {
    contentType(ctx);
    if (ctx.contentLength() > maxBytes) {
      discard(ctx, ctx.contentLength());
      throw tooLarge(ctx.contentLength());
    }
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > maxBytes) {
      discard(ctx, Long.MAX_VALUE);
      throw tooLarge(-1);
    }
    if (bytes.length == 0) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = STRICT.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      String why = String.valueOf(e.getOriginalMessage()).replaceAll(",? ?\\(?from `[^`]*`\\)?", "");
      throw HttpProblem.badRequest("the request body is not valid JSON" + where + ": " + why);
    } catch (IOException e) {
      // The bytes are in memory: anything the parser cannot read is the body's fault.
      throw HttpProblem.badRequest("the request body is not valid UTF-8 JSON: " + e.getMessage());
    }
    if (node == null) {
      return Json.object();
    }
    check(node, "");
    return node;
  }

  /** Only JSON is read: a body declared as anything else is 415; no Content-Type is read as JSON. */
  private static void contentType(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null || type.isBlank()) return;
    String media = type.split(";", -1)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new HttpProblem(415, "Unsupported media type",
          "the request body must be JSON (Content-Type: application/json), was '" + Strict.printable(type) + "'");
    }
    for (String p : type.split(";")) {
      String[] kv = p.trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")
          && !kv[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
        throw new HttpProblem(415, "Unsupported media type",
            "the request body must be UTF-8, was declared as '" + Strict.printable(kv[1].trim()) + "'");
      }
    }
  }

  /** Text the database can hold and numbers that are finite, everywhere in the body. */
  private static void check(JsonNode node, String path) {
    switch (node.getNodeType()) {
      case STRING -> Strict.text(node.textValue(), "the string at '" + pointer(path) + "'");
      case NUMBER -> {
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
          throw HttpProblem.badRequest("the number at '" + pointer(path) + "' is too large: numbers must be finite doubles");
        }
      }
      case ARRAY -> {
        for (int i = 0; i < node.size(); i++) check(node.get(i), path + "/" + i);
      }
      case OBJECT -> {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String at = path + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
          Strict.text(e.getKey(), "the key at '" + Strict.printable(pointer(at)) + "'");
          check(e.getValue(), at);
        }
      }
      default -> {}
    }
  }

  private static String pointer(String path) {
    return path.isEmpty() ? "/" : path;
  }

  /** The body as a JSON object, or 400. */
  JsonNode object(Context ctx) {
    JsonNode n = json(ctx);
    if (!n.isObject()) {
      throw HttpProblem.badRequest("the request body must be a JSON object, was " + n.getNodeType().name().toLowerCase());
    }
    return n;
  }

  /**
   * Reads and drops what is left of a body too large to take, up to {@link #DISCARD_LIMIT}, so the
   * client, still sending, reads the 413 instead of a connection closed under it.
   */
  private static void discard(Context ctx, long length) {
    if (length > DISCARD_LIMIT) return; // the connection closes; a client sending that much is told so by the reset
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] sink = new byte[64 * 1024];
      long left = DISCARD_LIMIT;
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= n;
    } catch (IOException e) {
      // the client went away: there is nobody to answer
    }
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

  /** An id field (customId, user, worker, stage...): absent or null is null; see {@link Strict#id}. */
  static String id(JsonNode body, String field) {
    return Strict.id(text(body, field), field);
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
    Instant at;
    try {
      at = Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      at = null;
    }
    if (at != null) {
      return Strict.instant(at, param);
    }
    try {
      return now.minus(Strict.duration(Duration.parse(text), param));
    } catch (DateTimeParseException notDuration) {
      throw HttpProblem.badRequest(
          "'" + param + "=" + Strict.printable(text) + "' is neither an ISO-8601 instant (2026-11-22T10:15:30Z)"
              + " nor a duration (PT30S, PT5M)");
    }
  }
}
