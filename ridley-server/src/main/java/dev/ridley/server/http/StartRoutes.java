package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.server.Json;
import dev.ridley.server.auth.Principal;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/**
 * Starting one process: {@code POST /api/v1/pipelines/{pipeline}/processes}, idempotent with a
 * {@code customId}, optionally waiting for the end ({@code ?waitMs}). The rules a start meets here
 * (its keys, who its {@code user} may be, how it is answered) serve the bulk form too.
 */
final class StartRoutes {

  static final Set<String> START_KEYS = Set.of("customId", "user", "payload");

  private final Engine engine;
  private final Bodies bodies;

  StartRoutes(Engine engine, Bodies bodies) {
    this.engine = engine;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.post("/api/v1/pipelines/{pipeline}/processes", this::start);
  }

  private void start(Context ctx) throws InterruptedException {
    String pipeline = ctx.pathParam("pipeline");
    engine.pipeline(pipeline); // 404 before reading a body meant for nobody
    Strict.params(ctx, Set.of("waitMs"));
    long waitMs = waitParam(ctx);
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a start", START_KEYS);
    JsonNode payload = body.get("payload");
    if (payload == null || payload.isNull()) {
      throw HttpProblem.badRequest("a start needs a 'payload' (any JSON value but null), e.g. {\"payload\": {\"x\": 1}}");
    }
    StartRequest req = new StartRequest(Bodies.id(body, "customId"), user(ctx, Bodies.id(body, "user")), payload)
        .withActor(Guard.actor(ctx));
    StartResult r = awaitEnd(engine.processes().start(pipeline, req), waitMs);
    ObjectNode out = Json.object();
    describe(out, pipeline, req, r);
    if (r.result() == StartResult.Result.CREATED) {
      ctx.header("Location", "/api/v1/processes/" + r.process().id());
    }
    Replies.json(ctx, status(r.result()), out);
  }

  /** The status a start answers with. */
  static int status(StartResult.Result result) {
    return switch (result) {
      case CREATED -> 201;
      case ALREADY_EXISTS -> 200;
      case CONFLICT -> 409;
    };
  }

  /** What a start answers, single or in a batch: the result, the process, and for a conflict why. */
  static void describe(ObjectNode out, String pipeline, StartRequest req, StartResult r) {
    out.put("result", r.result().name());
    out.set("process", Views.process(r.process()));
    if (r.result() == StartResult.Result.CONFLICT) {
      out.put("detail", "customId '" + req.customId() + "' is already used in pipeline '" + pipeline
          + "' by process " + r.process().id() + " with another payload or user; nothing was created");
    }
  }

  /**
   * The process's {@code user}: with authentication on, the caller's name; a caller that may act
   * for others (admin, or a key with {@code onBehalfOf}) may name another, anyone else gets 403.
   */
  static String user(Context ctx, String asked) {
    Principal caller = Guard.caller(ctx);
    if (caller.anonymous() || asked == null || asked.equals(caller.name())) {
      return caller.anonymous() ? asked : asked != null ? asked : caller.name();
    }
    if (!caller.actsForOthers()) {
      throw new HttpProblem(403, "Forbidden", "'" + caller.name() + "' starts processes as itself: 'user' must be '"
          + caller.name() + "' or left out; acting for another user needs the role admin or a key with onBehalfOf: true");
    }
    return asked;
  }

  /**
   * With {@code ?waitMs=N} a start answers once the process has ended, or after N ms with its
   * state then: handy for scripts and demos; workers still do the work. The wait is woken by the
   * engine when the process ends, and reads nothing meanwhile.
   */
  private StartResult awaitEnd(StartResult r, long waitMs) throws InterruptedException {
    if (waitMs == 0 || r.process().status().isTerminal()) return r;
    ProcessView p = engine.processes().awaitEnd(r.process().id(), Duration.ofMillis(waitMs)).orElse(r.process());
    return new StartResult(r.result(), p);
  }

  private static long waitParam(Context ctx) {
    String w = ctx.queryParam("waitMs");
    if (w == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(w);
      if (n < 0 || n > 60_000) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'waitMs=" + Strict.printable(w) + "' must be a whole number of milliseconds from 0 to 60000");
    }
  }
}
