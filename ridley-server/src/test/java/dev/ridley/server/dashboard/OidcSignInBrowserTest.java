package dev.ridley.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

/**
 * The dashboard's sign-in through an OIDC issuer, in a real browser: the sign-in page offers the
 * issuer, the issuer (served here, with keys made here) sends the browser back with a code, the
 * server exchanges it with the PKCE verifier and signs the browser in as the token's subject.
 */
class OidcSignInBrowserTest {

  static HttpServer issuer;
  static String issuerUrl;
  static RSAKey key;
  static RidleyServer server;
  static final Map<String, String> challenges = new ConcurrentHashMap<>();
  static volatile String lastRedirectUri;

  @BeforeAll
  static void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k").generate();
    issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuerUrl = "http://127.0.0.1:" + issuer.getAddress().getPort();
    issuer.createContext("/.well-known/openid-configuration", ex -> json(ex, 200,
        "{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + issuerUrl + "/jwks\",\"authorization_endpoint\":\""
            + issuerUrl + "/authorize\",\"token_endpoint\":\"" + issuerUrl + "/token\"}"));
    issuer.createContext("/jwks", ex -> json(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
    // The user "signs in" at once: back to the redirect_uri with a code bound to the PKCE challenge.
    issuer.createContext("/authorize", ex -> {
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      String code = "code-" + challenges.size();
      challenges.put(code, q.get("code_challenge"));
      lastRedirectUri = q.get("redirect_uri");
      ex.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=" + code + "&state="
          + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    issuer.createContext("/token", ex -> {
      Map<String, String> form = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String expected = challenges.remove(form.get("code"));
      if (expected == null || !expected.equals(s256(form.get("code_verifier"))) || !"ridley-dashboard".equals(form.get("client_id"))) {
        json(ex, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      json(ex, 200, "{\"access_token\":\"" + token("grace", List.of("operator")) + "\",\"token_type\":\"Bearer\"}");
    });
    issuer.start();
    server = RidleyServer.start(TestServers.config().toBuilder().setOidcIssuer(issuerUrl).setOidcAudience("ridley")
        .setOidcClient("ridley-dashboard", null).build());
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.stop(0);
  }

  @Test
  void the_sign_in_page_sends_the_browser_to_the_issuer_and_back_signed_in_as_the_tokens_subject() {
    try (Browser browser = Browser.open(server.uri())) {
      browser.test("oidc-sign-in");
      browser.go("/processes?status=FAILED");
      browser.until(() -> browser.path().equals("/signin"), "the sign-in page");
      browser.click("#issuer-link");
      browser.until(() -> browser.path().equals("/processes"), "back, signed in");
      assertThat(URI.create(browser.driver().getCurrentUrl()).getQuery()).isEqualTo("status=FAILED");
      browser.until(() -> browser.text("header .caller").contains("grace"), "the caller's name");
      Cookie session = browser.driver().manage().getCookieNamed("ridley_session");
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");
      assertThat(lastRedirectUri).endsWith("/signin/callback");
      assertThat(challenges).isEmpty();
    }
  }

  @Test
  void a_return_without_a_sign_in_under_way_is_refused() {
    try (Browser browser = Browser.open(server.uri())) {
      browser.test("oidc-forged-return");
      browser.go("/signin/callback?code=code-x&state=forged");
      browser.until(() -> browser.path().equals("/signin"), "back at the sign-in page");
      browser.until(() -> browser.text("#notice").contains("did not sign you in"), "the refusal");
      assertThat(browser.driver().manage().getCookieNamed("ridley_session")).isNull();
    }
  }

  static String token(String subject, List<String> roles) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
          new JWTClaimsSet.Builder().subject(subject).issuer(issuerUrl).audience("ridley")
              .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("roles", roles).build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  static void json(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }
}
