package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a PARKED process waits, and how it comes back: what a {@code @park} route recorded when it
 * parked the process.
 *
 * @param stage the stage whose outcome parked the process
 * @param at when it parked
 * @param to the stage a replay resumes at
 * @param replayAfter how long the stage must park nothing before its parked processes are replayed
 *     by themselves; null when only a person replays them
 * @param maxReplays the most automatic replays in a row; null for no limit
 * @param input what a replay hands to {@code to}: a JSON null when the route carried none, and
 *     null only for a park recorded without it (a replay then uses what that stage last received)
 * @param autoReplays automatic replays since a person last replayed the process, as counted when it
 *     parked; null until the parking is stored
 */
public record Park(
    String stage,
    Instant at,
    String to,
    Duration replayAfter,
    Integer maxReplays,
    JsonNode input,
    Integer autoReplays) {

  /** The JSON keys, as stored in the process's {@code park} column and shown by the API. */
  public static final String STAGE = "stage";
  public static final String AT = "at";
  public static final String TO = "to";
  public static final String REPLAY_AFTER_MS = "replayAfterMs";
  public static final String MAX_REPLAYS = "maxReplays";
  public static final String INPUT = "input";
  public static final String AUTO_REPLAYS = "autoReplays";

  /** A park as a route records it: the auto-replay count is added when it is stored. */
  public static Park of(
      String stage, Instant at, String to, Duration replayAfter, Integer maxReplays, JsonNode input) {
    return new Park(stage, at, to, replayAfter, maxReplays, input == null ? NullNode.getInstance() : input, null);
  }

  /**
   * The park as JSON, the shape stored in the database and shown by the API. Keys come in the
   * order PostgreSQL's jsonb keeps them (shorter keys first), so a park built here renders exactly
   * as one read back from the database; absent values are left out.
   */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (at != null) o.put(AT, at.toString());
    if (to != null) o.put(TO, to);
    if (input != null) o.set(INPUT, input);
    if (stage != null) o.put(STAGE, stage);
    if (maxReplays != null) o.put(MAX_REPLAYS, maxReplays);
    if (autoReplays != null) o.put(AUTO_REPLAYS, autoReplays);
    if (replayAfter != null) o.put(REPLAY_AFTER_MS, replayAfter.toMillis());
    return o;
  }

  /** The park as {@link #toJson} writes it; null for null or JSON null. */
  public static Park fromJson(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return null;
    }
    return new Park(
        text(json, STAGE),
        json.hasNonNull(AT) ? Instant.parse(json.get(AT).asText()) : null,
        text(json, TO),
        json.hasNonNull(REPLAY_AFTER_MS) ? Duration.ofMillis(json.get(REPLAY_AFTER_MS).asLong()) : null,
        json.hasNonNull(MAX_REPLAYS) ? json.get(MAX_REPLAYS).asInt() : null,
        json.has(INPUT) ? json.get(INPUT) : null,
        json.hasNonNull(AUTO_REPLAYS) ? json.get(AUTO_REPLAYS).asInt() : null);
  }

  private static String text(JsonNode json, String key) {
    return json.hasNonNull(key) ? json.get(key).asText() : null;
  }
}
