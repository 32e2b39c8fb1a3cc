package dev.ridley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.NotFoundException;
import dev.ridley.server.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps exceptions to RFC 9457 {@code application/problem+json} answers in UTF-8, each with a
 * {@code detail} a person can act on; from the routes, from Javalin (404 for an unknown route,
 * 405 with {@code Allow}) and from Jetty (a malformed request, a URI too long). Ids the problem
 * concerns travel as extra members. Unexpected errors (500) and database trouble (503) are logged
 * once with an {@code errorId} that the answer carries; their details never hold exception texts.
 */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json; charset=utf-8";
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
    config.routes.exception(CommitOutcomeUnknownException.class, (e, ctx) -> write(ctx, 503, unavailable(e, ctx.method() + " " + ctx.path())));
    config.routes.exception(DatabaseUnavailableException.class, (e, ctx) -> write(ctx, 503, unavailable(e, ctx.method() + " " + ctx.path())));
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          String detail = switch (status) {
            case 404 -> "no such route: " + ctx.method() + " " + Strict.printable(ctx.path()) + "; see docs/API.md";
            case 405 -> {
              String allow = ctx.res().getHeader("Allow");
              if (allow == null) allow = allowed(e);
              if (allow != null) ctx.header("Allow", allow);
              yield ctx.method() + " is not allowed on " + Strict.printable(ctx.path())
                  + (allow == null ? "" : "; allowed: " + allow);
            }
            default -> e.getMessage();
          };
          send(ctx, status, title(status), detail);
        });
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          String errorId = UUID.randomUUID().toString();
          log.error("unexpected error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
          ObjectNode p = problem(500, "Internal error",
              "an unexpected error; it was logged with errorId " + errorId + ": please report it");
          p.put("errorId", errorId);
          write(ctx, 500, p);
        });
  }

  /** The methods a 405 names, as Javalin gives them. */
  private static String allowed(HttpResponseException e) {
    String methods = e.getDetails().get("availableMethods");
    return methods == null || methods.isBlank() ? null : methods.replace("[", "").replace("]", "");
  }

  /**
   * A 503: the database is unusable. Logged once with an errorId and the cause; the detail holds
   * no database text. A commit whose outcome is unknown keeps its engine-written detail, which
   * says whether a retry is safe.
   */
  static ObjectNode unavailable(DatabaseUnavailableException e, String where) {
    String errorId = UUID.randomUUID().toString();
    log.warn("database unavailable, errorId {}, on {}: {}", errorId, where, e.getMessage(), e.getCause());
    String detail = e instanceof CommitOutcomeUnknownException
        ? e.getMessage()
        : "the database is unavailable; retry shortly";
    ObjectNode p = problem(503, "Service unavailable", detail + " (errorId " + errorId + ")");
    p.put("errorId", errorId);
    return p;
  }

  static String title(int status) {
    HttpStatus s = HttpStatus.forStatus(status);
    return s == HttpStatus.UNKNOWN ? "Error" : s.getMessage();
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
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Jetty's own error answers (a malformed request line or path, a URI or headers too long, a bad
   * encoding) as problem+json, in place of its HTML pages.
   */
  static final class JettyErrors extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      if (request.getAttribute(ERROR_STATUS) instanceof Integer s) status = s;
      if (status < 400) status = 500;
      String reason = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m : null;
      String detail = switch (status) {
        case 414 -> "the request's URI is too long";
        case 431 -> "the request's headers are too large";
        case 400 -> "the request is malformed (its request line, path, headers or encoding)";
        default -> title(status).toLowerCase();
      };
      if (reason != null && !reason.isBlank() && reason.length() < 200 && !reason.contains("Exception")
          && !reason.equalsIgnoreCase(title(status))) {
        detail += ": " + Strict.printable(reason);
      }
      byte[] body = Json.write(problem(status, title(status), detail)).getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
  }
}
