package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.server.Json;
import dev.ridley.server.auth.Principal;
import dev.ridley.server.auth.Role;
import dev.ridley.server.auth.Security;
import dev.ridley.server.auth.Sessions;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who am I, and the dashboard's sign-in and sign-out. */
final class SessionRoutes {

  private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);

  private final Security security;
  private final Bodies bodies;

  SessionRoutes(Security security, Bodies bodies) {
    this.security = security;
    this.bodies = bodies;
  }

  void register(RouteTable routes) {
    routes.get("/api/v1/me", this::me);
    routes.post("/signin", this::signIn);
    routes.post("/signout", this::signOut);
  }

  /** {@code {name, roles, authentication, csrfToken?}}: what the dashboard shows and offers. */
  private void me(Context ctx) {
    Strict.params(ctx, Set.of());
    Replies.json(ctx, 200, view(Guard.caller(ctx), ctx.cookie(Sessions.COOKIE)));
  }

  /** {@code {"key": "..."}}: checks the key once and sets the session cookie; the key is not kept. */
  private void signIn(Context ctx) {
    Strict.params(ctx, Set.of());
    JsonNode body = bodies.object(ctx);
    Strict.keys(body, "a sign-in", Set.of("key"));
    String key = Bodies.text(body, "key");
    if (!security.enabled()) {
      throw HttpProblem.badRequest("this server has no authentication (RIDLEY_AUTH_FILE is unset): nobody needs to sign in");
    }
    if (key == null || key.isBlank()) {
      throw HttpProblem.badRequest("a sign-in needs a 'key', e.g. {\"key\": \"rk_...\"}");
    }
    Principal p = security.authenticate(key.trim());
    if (p == null) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"ridley\"");
      throw new HttpProblem(401, "Unauthorized", "this key is not known; ask for one (ridley keys new NAME --role ROLE)");
    }
    String value = security.sessions().issue(p, key.contains("."));
    Cookie cookie = new Cookie(Sessions.COOKIE, value, "/", (int) Sessions.LIFETIME.toSeconds(), security.tls(), true,
        null, SameSite.STRICT);
    ctx.cookie(cookie);
    log.info("'{}' signed in to the dashboard", p.name());
    Replies.json(ctx, 200, view(p, value));
  }

  private void signOut(Context ctx) {
    Strict.params(ctx, Set.of());
    bodies.object(ctx);
    Cookie cookie = new Cookie(Sessions.COOKIE, "", "/", 0, security.tls(), true, null, SameSite.STRICT);
    ctx.cookie(cookie);
    Replies.json(ctx, 200, Json.object().put("signedOut", true));
  }

  private ObjectNode view(Principal p, String cookie) {
    ObjectNode out = Json.object();
    out.put("authentication", security.enabled() ? "on" : "none");
    out.put("name", p.name());
    var roles = out.putArray("roles");
    for (Role r : Role.values()) if (p.roles().contains(r)) roles.add(r.id());
    if (cookie != null && security.sessions().read(cookie) != null) {
      out.put("csrfToken", security.sessions().csrfToken(cookie));
    }
    return out;
  }
}
