package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.Engine;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.Processes;
import dev.ridley.engine.StartAnswer;
import dev.ridley.engine.StartRequest;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk form of a start: {@code POST /api/v1/pipelines/{pipeline}/processes/batch} with {@code
 * {"processes": [{"customId"?, "user"?, "payload"}, ...]}} (1 to 1,000), started in one
 * transaction. Each item is answered on its own, in order, as its single start would have been
 * (201 CREATED, 200 ALREADY_EXISTS, 409 CONFLICT with the process; 400 with a detail); the request
 * itself is 200 when it could be read.
 */
final class BatchStartRoutes {

  private static final Logger log = LoggerFactory.getLogger(BatchStartRoutes.class);

  static final Set<String> BODY_KEYS = Set.of("processes");

  private final Engine engine;
  private final Bodies bodies;

  BatchStartRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.post("/api/v1/pipelines/{pipeline}/processes/batch", this::startAll);
  }

  private void startAll(Context ctx) {
    String pipeline = ctx.pathParam("pipeline");
    engine.pipeline(pipeline); // 404 before reading a body meant for nobody
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a batch of starts", BODY_KEYS);
    JsonNode items = body.get("processes");
    if (items == null || !items.isArray() || items.isEmpty()) {
      throw HttpProblem.badRequest("a batch of starts needs 'processes': a list of 1 to " + Processes.MAX_START_BATCH
          + " starts, e.g. {\"processes\": [{\"customId\": \"order-1\", \"payload\": {\"x\": 1}}]}");
    }
    if (items.size() > Processes.MAX_START_BATCH) {
      throw HttpProblem.badRequest("a batch of starts takes at most " + Processes.MAX_START_BATCH + " processes, got "
          + items.size() + "; send the rest in another batch");
    }
    // Each item is read on its own: one item's mistake is that item's 400, not the batch's.
    ObjectNode[] answers = new ObjectNode[items.size()];
    List<StartRequest> requests = new ArrayList<>(items.size());
    List<Integer> at = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        requests.add(request(ctx, items.get(i), i));
        at.add(i);
      } catch (HttpProblem refused) {
        answers[i] = Json.object().put("status", refused.status).put("detail", refused.getMessage());
      }
    }
    List<StartAnswer> results = requests.isEmpty() ? List.of() : engine.processes().startAll(pipeline, requests);
    for (int k = 0; k < results.size(); k++) {
      answers[at.get(k)] = answer(pipeline, requests.get(k), results.get(k));
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("results");
    for (ObjectNode a : answers) list.add(a);
    Replies.json(ctx, 200, out);
  }

  private static StartRequest request(Context ctx, JsonNode item, int index) {
    String where = "processes[" + index + "]";
    if (!item.isObject()) {
      throw HttpProblem.badRequest(where + " must be an object {\"customId\"?, \"user\"?, \"payload\"}, was "
          + Strict.kind(item));
    }
    Strict.keys(item, where, StartRoutes.START_KEYS);
    JsonNode payload = item.get("payload");
    if (payload == null || payload.isNull()) {
      throw HttpProblem.badRequest(where + " needs a 'payload' (any JSON value but null), e.g. {\"payload\": {\"x\": 1}}");
    }
    // Each item meets the single start's rule on 'user' (403 for that item when the caller may not).
    return new StartRequest(Bodies.id(item, "customId"), StartRoutes.user(ctx, Bodies.id(item, "user")), payload)
        .withActor(Guard.actor(ctx));
  }

  private static ObjectNode answer(String pipeline, StartRequest req, StartAnswer a) {
    ObjectNode o = Json.object();
    if (a.applied()) {
      o.put("status", StartRoutes.status(a.started().result()));
      StartRoutes.describe(o, pipeline, req, a.started());
      return o;
    }
    switch (a.refused()) {
      case InvalidRequestException i -> o.put("status", 400).put("detail", i.getMessage());
      case NotFoundException n -> o.put("status", 404).put("detail", n.getMessage());
      case DatabaseUnavailableException d -> {
        ObjectNode p = Problems.unavailable(d, "a start in a batch");
        o.put("status", 503).put("detail", p.path("detail").asText()).put("errorId", p.path("errorId").asText());
      }
      default -> {
        String errorId = UUID.randomUUID().toString();
        log.error("unexpected error {} on a start in a batch of pipeline {}", errorId, pipeline, a.refused());
        o.put("status", 500).put("detail", "an unexpected error; it was logged with errorId " + errorId)
            .put("errorId", errorId);
      }
    }
    return o;
  }
}
