package dev.ridley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.server.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps exceptions to RFC 9457 {@code application/problem+json} answers, each with a {@code
 * detail} a person can act on. Ids the problem concerns travel as extra members.
 */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static void register(JavalinConfig config) {
    config.routes.exception(HttpProblem.class, (e, ctx) -> send(ctx, e.status, e.title, e.getMessage()));
    config.routes.exception(InvalidRequestException.class, (e, ctx) -> send(ctx, 400, "Bad request", e.getMessage()));
    config.routes.exception(NotFoundException.class, (e, ctx) -> send(ctx, 404, "Not found", e.getMessage()));
    config.routes.exception(
        ConflictException.class,
        (e, ctx) -> {
          ObjectNode p = problem(409, "Conflict", e.getMessage());
          if (e.processId() != null) p.put("processId", e.processId().toString());
          if (e.taskId() != null) p.put("taskId", e.taskId().toString());
          write(ctx, 409, p);
        });
    config.routes.exception(
        CommitOutcomeUnknownException.class,
        (e, ctx) -> {
          log.warn("commit outcome unknown: {}", e.getMessage());
          send(ctx, 503, "Service unavailable", e.getMessage());
        });
    config.routes.exception(
        DatabaseUnavailableException.class,
        (e, ctx) -> {
          log.warn("database unavailable: {}", e.getMessage());
          send(ctx, 503, "Service unavailable", "the database is unavailable; retry shortly (" + e.getMessage() + ")");
        });
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          send(ctx, 500, "Internal error", "unexpected error: " + e);
        });
  }

  static void send(Context ctx, int status, String title, String detail) {
    write(ctx, status, problem(status, title, detail));
  }

  static ObjectNode problem(int status, String title, String detail) {
    ObjectNode p = Json.object();
    p.put("type", "about:blank");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }

  static void write(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(body));
  }
}
