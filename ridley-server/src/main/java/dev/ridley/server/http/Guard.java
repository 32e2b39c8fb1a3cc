package dev.ridley.server.http;

import dev.ridley.server.auth.Access;
import dev.ridley.server.auth.Principal;
import dev.ridley.server.auth.Security;
import dev.ridley.server.auth.Sessions;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge every request passes: its Host must name this node (DNS rebinding), a browser on
 * another origin is refused unless CORS lets it in, a state-changing request must declare a JSON
 * body (so no HTML form or plain-text fetch can forge one), and its caller must be known and hold
 * the role its route needs ({@link dev.ridley.server.auth.AccessRules}).
 */
final class Guard {

  private static final Logger log = LoggerFactory.getLogger(Guard.class);
  private static final String PRINCIPAL = "ridley.principal";

  private final Security security;

  Guard(Security security) {
    this.security = security;
  }

  /** The caller of this request: {@link Principal#NOBODY} when authentication is off. */
  static Principal caller(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    return p != null ? p : Principal.NOBODY;
  }

  /** Who did it, for the journal: the caller's name; null with authentication off. */
  static String actor(Context ctx) {
    return caller(ctx).name();
  }

  /** Before any route: Host, Origin and CORS, content type. */
  void edge(Context ctx) {
    if (!security.hostAllowed(ctx.header("Host"))) {
      throw HttpProblem.badRequest("the Host header '" + Strict.printable(String.valueOf(ctx.header("Host")))
          + "' does not name this server; set RIDLEY_PUBLIC_URL to the URL callers use");
    }
    String origin = ctx.header("Origin");
    boolean cors = security.corsAllowed(origin);
    if (cors) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
    }
    if (ctx.method() == HandlerType.OPTIONS && cors) {
      ctx.header("Access-Control-Allow-Methods", "GET, POST");
      ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept");
      ctx.header("Access-Control-Max-Age", "600");
      ctx.status(204);
      ctx.skipRemainingHandlers();
      return;
    }
    if (ctx.method() == HandlerType.POST) {
      if (origin != null && !origin.equals("null") && !cors && !security.ownOrigin(origin, ctx.header("Host"))) {
        throw new HttpProblem(403, "Forbidden", "a request from the web page at '" + Strict.printable(origin)
            + "' is refused: this server takes no cross-origin requests (see RIDLEY_CORS_ORIGINS)");
      }
      if ("null".equals(origin)) {
        throw new HttpProblem(403, "Forbidden", "a request from an opaque origin (Origin: null) is refused");
      }
      String type = ctx.header("Content-Type");
      String media = type == null ? "" : type.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json")) {
        throw new HttpProblem(415, "Unsupported media type", "a POST must declare a JSON body"
            + " (Content-Type: application/json), even an empty one; was "
            + (type == null ? "no Content-Type" : "'" + Strict.printable(type) + "'"));
      }
    }
  }

  /** The matched route's path, e.g. {@code /api/v1/processes/{id}}. */
  private static String route(Context ctx) {
    var matched = ctx.endpoints().matchedHttpEndpoint();
    return matched != null ? matched.path : ctx.path();
  }

  /** Before a matched route: who calls, and whether it may. */
  void access(Context ctx) {
    Access access = ctx.routeRoles().stream().filter(Access.class::isInstance).map(Access.class::cast)
        .findFirst().orElse(Access.ADMIN);
    if (!security.enabled()) {
      ctx.attribute(PRINCIPAL, Principal.NOBODY);
      return;
    }
    String authorization = ctx.header("Authorization");
    Principal p = null;
    boolean offered = false;
    if (authorization != null) {
      offered = true;
      String[] parts = authorization.trim().split("\\s+", 2);
      if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) p = security.authenticate(parts[1]);
    } else {
      String cookie = ctx.cookie(Sessions.COOKIE);
      if (cookie != null) {
        offered = true;
        p = security.fromSession(cookie);
        if (p != null && ctx.method() == HandlerType.POST && !access.open()
            && !security.sessions().csrfMatches(cookie, ctx.header(Sessions.CSRF_HEADER))) {
          log.warn("refused a {} {} of '{}' without its CSRF token", ctx.method(), ctx.path(), p.name());
          throw new HttpProblem(403, "Forbidden", "a signed-in page must send its " + Sessions.CSRF_HEADER
              + " header (from GET /api/v1/me) with every POST");
        }
      }
    }
    if (p != null) ctx.attribute(PRINCIPAL, p);
    if (access.open()) return;
    if (p == null) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"ridley\"");
      throw new HttpProblem(401, "Unauthorized", offered
          ? "the credentials sent are not known (an unknown or revoked key, or an invalid or expired token)"
          : "this endpoint needs credentials: send Authorization: Bearer <key>");
    }
    if (!access.allows(p)) {
      log.warn("refused {} {} to '{}': it needs the role {}", ctx.method(), route(ctx), p.name(), access.needs());
      throw new HttpProblem(403, "Forbidden", ctx.method() + " " + route(ctx) + " needs the role "
          + access.needs() + "; '" + p.name() + "' has " + (p.roles().isEmpty() ? "none" : String.join(", ",
              p.roles().stream().map(r -> r.id()).sorted().toList())));
    }
  }
}
