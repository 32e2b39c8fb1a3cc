package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to start a process.
 *
 * @param customId optional idempotency key, unique per pipeline
 * @param user optional: who spawned the process
 * @param payload the message, any JSON value
 */
public record StartRequest(String customId, String user, JsonNode payload) {

  public static StartRequest of(JsonNode payload) {
    return new StartRequest(null, null, payload);
  }

  public StartRequest withCustomId(String id) {
    return new StartRequest(id, user, payload);
  }

  public StartRequest withUser(String who) {
    return new StartRequest(customId, who, payload);
  }
}
