package dev.ridley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.server.Json;
import dev.ridley.server.auth.OidcSignIn;
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
    routes.get("/signin/options", this::options);
    routes.get("/signin/oidc", this::toIssuer);
    routes.get("/signin/callback", this::fromIssuer);
  }

  static final String FLOW_COOKIE = "ridley_oidc";

  /** {@code {"oidc": true}} when the sign-in page may offer the issuer's sign-in. */
  private void options(Context ctx) {
    Replies.json(ctx, 200, Json.object().put("oidc", security.oidcSignIn() != null));
  }

  /** Sends the browser to the issuer, remembering the state and PKCE verifier in a signed cookie. */
  private void toIssuer(Context ctx) {
    OidcSignIn signIn = security.oidcSignIn();
    if (signIn == null) {
      throw new HttpProblem(404, "Not found", "this server has no OIDC sign-in (RIDLEY_OIDC_CLIENT_ID is unset); sign in with a key");
    }
    String next = ctx.queryParam("next");
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) next = "/";
    Sessions.Flow flow = new Sessions.Flow(OidcSignIn.random(), OidcSignIn.random(), next);
    // Lax, not Strict: the browser must send it on the issuer's redirect back, a cross-site navigation.
    ctx.cookie(new Cookie(FLOW_COOKIE, security.sessions().issueFlow(flow), "/signin",
        (int) Sessions.FLOW_LIFETIME.toSeconds(), security.tls(), true, null, SameSite.LAX));
    ctx.redirect(signIn.authorizationUrl(callback(ctx), flow.state(), flow.verifier()).toString());
  }

  /** The issuer's redirect back: checks the state, exchanges the code, and signs the browser in. */
  private void fromIssuer(Context ctx) throws InterruptedException {
    OidcSignIn signIn = security.oidcSignIn();
    Sessions.Flow flow = security.sessions().readFlow(ctx.cookie(FLOW_COOKIE));
    String code = ctx.queryParam("code");
    ctx.cookie(new Cookie(FLOW_COOKIE, "", "/signin", 0, security.tls(), true, null, SameSite.LAX));
    if (signIn == null || flow == null || code == null
        || !java.security.MessageDigest.isEqual(flow.state().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            String.valueOf(ctx.queryParam("state")).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      log.warn("refused a return from the OIDC issuer: {}", flow == null ? "no sign-in under way (or it expired)"
          : code == null ? "no code (" + Strict.printable(String.valueOf(ctx.queryParam("error"))) + ")" : "the state does not match");
      ctx.redirect("/signin?failed=issuer");
      return;
    }
    Principal p;
    try {
      p = signIn.exchange(code, callback(ctx), flow.verifier());
    } catch (java.io.IOException e) {
      log.warn("the OIDC issuer's token endpoint could not be reached: {}", e.toString());
      p = null;
    }
    if (p == null) {
      ctx.redirect("/signin?failed=issuer");
      return;
    }
    ctx.cookie(new Cookie(Sessions.COOKIE, security.sessions().issue(p, true), "/", (int) Sessions.LIFETIME.toSeconds(),
        security.tls(), true, null, SameSite.STRICT));
    log.info("'{}' signed in to the dashboard through the OIDC issuer", p.name());
    ctx.redirect(flow.next());
  }

  /** Where the issuer sends the browser back: this server as the browser reached it (its Host is checked). */
  private String callback(Context ctx) {
    return (security.tls() ? "https" : "http") + "://" + ctx.host() + "/signin/callback";
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
