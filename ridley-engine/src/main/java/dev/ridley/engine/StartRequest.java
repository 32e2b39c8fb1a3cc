package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to start a process.
 *
 * @param customId optional idempotency key, unique per pipeline
 * @param user optional: who spawned the process
 * @param payload the message, any JSON value
 * @param actor optional: the authenticated principal that asked for the start, recorded in the
 *     journal; it differs from {@code user} when a front end starts a process for one of its users
 */
public record StartRequest(String customId, String user, JsonNode payload, String actor) {

  public StartRequest(String customId, String user, JsonNode payload) {
    this(customId, user, payload, null);
  }

  public static StartRequest of(JsonNode payload) {
    return new StartRequest(null, null, payload, null);
  }

  public StartRequest withCustomId(String id) {
    return new StartRequest(id, user, payload, actor);
  }

  public StartRequest withUser(String who) {
    return new StartRequest(customId, who, payload, actor);
  }

  public StartRequest withActor(String principal) {
    return new StartRequest(customId, user, payload, principal);
  }
}
