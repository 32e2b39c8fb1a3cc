package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Json;
import io.javalin.http.Context;

/** Writing JSON answers. */
final class Replies {

  private Replies() {}

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
