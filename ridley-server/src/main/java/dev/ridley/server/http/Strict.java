package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.pipeline.DidYouMean;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules every request meets at the edge: only the keys and query parameters an endpoint
 * defines, ids of bounded length without control characters, text without NUL or lone
 * surrogates, numbers that are finite, instants and durations the database can hold, and bounded
 * action lists. Each broken rule is a 400 naming what broke it.
 */
final class Strict {

  /** The longest id: customId, user, worker, stage and outcome names, error types. */
  static final int MAX_ID_LENGTH = 200;

  /** The earliest and latest instants accepted: the years 0001 to 9999. */
  static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** The longest duration accepted ("that long ago"): 100 years of days. */
  static final Duration MAX_DURATION = Duration.ofDays(36_525);

  /** The most actions (Eliot messages) one report may carry. */
  static final int MAX_ACTIONS = 10_000;

  /** The most levels in an action's {@code task_level}, and the largest level number. */
  static final int MAX_TASK_LEVEL_DEPTH = 64;

  static final int MAX_TASK_LEVEL = 10_000;

  private Strict() {}

  /** Refuses any key of {@code object} that is not one of {@code allowed}, with a did-you-mean. */
  static void keys(JsonNode object, String where, Set<String> allowed) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw HttpProblem.badRequest(unknown("key", name, where, allowed));
      }
    }
  }

  /**
   * Refuses query parameters the endpoint does not define, and any given twice; checks every value
   * is text the database can hold.
   */
  static void params(Context ctx, Set<String> allowed) {
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      String name = e.getKey();
      if (!allowed.contains(name)) {
        throw HttpProblem.badRequest(unknown("query parameter", name, "this endpoint", allowed));
      }
      if (e.getValue().size() > 1) {
        throw HttpProblem.badRequest("the query parameter '" + name + "' is given " + e.getValue().size() + " times; give it once");
      }
      for (String v : e.getValue()) text(v, "the query parameter '" + name + "'");
    }
  }

  private static String unknown(String what, String name, String where, Set<String> allowed) {
    String shown = printable(name);
    return "unknown " + what + " '" + shown + "' in " + where + DidYouMean.hint(name, allowed)
        + (allowed.isEmpty() ? "; it takes none" : "; allowed: " + String.join(", ", new TreeSet<>(allowed)));
  }

  /**
   * An id (customId, user, worker, stage, outcome, error type): null passes; otherwise 1 to {@value
   * #MAX_ID_LENGTH} characters, none of them a control character.
   */
  static String id(String value, String name) {
    if (value == null) return null;
    if (value.isEmpty()) {
      throw HttpProblem.badRequest("'" + name + "' must not be empty; leave it out instead");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw HttpProblem.badRequest("'" + name + "' is " + value.length() + " characters long; the limit is " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw HttpProblem.badRequest(String.format(
            "'%s' contains the control character U+%04X at %d; ids are printable text", name, (int) c, i));
      }
    }
    text(value, "'" + name + "'");
    return value;
  }

  /** Text the database can hold: no NUL (U+0000) and no lone surrogate. */
  static void text(String value, String where) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        throw HttpProblem.badRequest(where + " contains the character U+0000 (NUL), which is not accepted in text");
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw HttpProblem.badRequest(String.format(
            "%s contains a lone surrogate (U+%04X), which is not a character; send valid UTF-8", where, (int) c));
      }
    }
  }

  static Instant instant(Instant at, String param) {
    if (at.isBefore(MIN_INSTANT) || at.isAfter(MAX_INSTANT)) {
      throw HttpProblem.badRequest("'" + param + "' must be between " + MIN_INSTANT + " and " + MAX_INSTANT + ", was " + at);
    }
    return at;
  }

  static Duration duration(Duration d, String param) {
    if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw HttpProblem.badRequest("'" + param + "' must be a duration from PT0S to " + MAX_DURATION.toDays()
          + " days (P" + MAX_DURATION.toDays() + "D), was " + d);
    }
    return d;
  }

  /**
   * Actions as a report carries them: absent, or a list of at most {@value #MAX_ACTIONS} objects
   * whose {@code task_level}, when present, is a list of at most {@value #MAX_TASK_LEVEL_DEPTH}
   * whole numbers from 1 to {@value #MAX_TASK_LEVEL}.
   */
  static JsonNode actions(JsonNode actions) {
    if (actions == null || actions.isNull()) return null;
    if (!actions.isArray()) {
      throw HttpProblem.badRequest("'actions' must be a list of Eliot messages (JSON objects)");
    }
    if (actions.size() > MAX_ACTIONS) {
      throw HttpProblem.badRequest("'actions' has " + actions.size() + " messages; a report carries at most " + MAX_ACTIONS);
    }
    for (int i = 0; i < actions.size(); i++) {
      JsonNode a = actions.get(i);
      if (!a.isObject()) {
        throw HttpProblem.badRequest("'actions[" + i + "]' must be an Eliot message (a JSON object), was " + kind(a));
      }
      JsonNode level = a.get("task_level");
      if (level == null) continue;
      if (!level.isArray() || level.isEmpty() || level.size() > MAX_TASK_LEVEL_DEPTH) {
        throw HttpProblem.badRequest("'actions[" + i + "].task_level' must be a list of 1 to " + MAX_TASK_LEVEL_DEPTH
            + " whole numbers, e.g. [1] or [2, 1]");
      }
      for (JsonNode n : level) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_TASK_LEVEL) {
          throw HttpProblem.badRequest("'actions[" + i + "].task_level' holds " + n + "; each level is a whole number from 1 to "
              + MAX_TASK_LEVEL);
        }
      }
    }
    return actions;
  }

  static String kind(JsonNode n) {
    return n.getNodeType().name().toLowerCase();
  }

  /** A name as it can be shown in a detail: control characters escaped, at most 100 characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return s.length() > 100 ? b + "..." : b.toString();
  }
}
