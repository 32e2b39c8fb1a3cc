package dev.ridley.worker.trace;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The headers that carry a trace across HTTP: Eliot's serialized task id, and alongside it a W3C
 * {@code traceparent} for OpenTelemetry users. The traceparent is derived from the Eliot id: its
 * trace id is the task uuid's 32 hex digits (a Ridley process id is a UUID), its parent id a hash
 * of the whole task id, so both name the same place.
 */
public final class TraceHeaders {

  public static final String ELIOT_TASK_ID = "X-Eliot-Task-Id";
  public static final String TRACEPARENT = "traceparent";

  private static final Pattern TRACEPARENT_FORM =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
  private static final String ZEROS = "0".repeat(32);

  private TraceHeaders() {}

  /**
   * Both headers for a call made inside {@code action}: reserves a child of it (see {@link
   * Action#serializeTaskId()}) for the callee to continue.
   */
  public static Map<String, String> forCallFrom(Action action) {
    String taskId = action.serializeTaskId();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ELIOT_TASK_ID, taskId);
    headers.put(TRACEPARENT, traceparent(taskId));
    return headers;
  }

  /** The W3C traceparent ({@code 00-<trace id>-<parent id>-01}) for a serialized Eliot task id. */
  public static String traceparent(String eliotTaskId) {
    int at = eliotTaskId.indexOf('@');
    String uuid = at < 0 ? eliotTaskId : eliotTaskId.substring(0, at);
    String hex = uuid.replace("-", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{32}") || hex.equals(ZEROS)) {
      hex = String.format("%016x%016x", fnv(uuid), fnv(uuid + "#"));
    }
    long parent = fnv(eliotTaskId);
    return "00-" + hex + "-" + String.format("%016x", parent == 0 ? 1 : parent) + "-01";
  }

  /** The task uuid a traceparent's trace id spells, or empty when it is not a valid traceparent. */
  public static Optional<String> taskUuidOf(String traceparent) {
    var m = TRACEPARENT_FORM.matcher(traceparent == null ? "" : traceparent.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).equals(ZEROS)) return Optional.empty();
    String h = m.group(1);
    return Optional.of(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
        + h.substring(16, 20) + "-" + h.substring(20));
  }

  /** FNV-1a, 64 bits: stable across JVMs and languages, unlike String.hashCode's 32. */
  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
