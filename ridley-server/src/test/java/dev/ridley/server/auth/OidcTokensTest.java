package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens against a local issuer: its discovery document and JWK set are served here,
 * its keys generated here. A token must be signed by a key of the set, name the issuer and the
 * audience, and not be expired; the principal is its subject and its roles come from the claim.
 */
class OidcTokensTest {

  static HttpServer issuer;
  static String issuerUrl;
  static final List<RSAKey> published = new CopyOnWriteArrayList<>();
  static RSAKey signing;
  static RidleyServer server;
  static AuthedHttp http;

  @BeforeAll
  static void start() throws Exception {
    signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    published.add(signing);
    issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuerUrl = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realm";
    issuer.createContext("/realm/.well-known/openid-configuration", ex -> {
      byte[] b = ("{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + issuerUrl + "/jwks\"}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    issuer.createContext("/realm/jwks", ex -> {
      byte[] b = new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList())
          .toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    issuer.start();
    server = RidleyServer.start(TestServers.config().toBuilder()
        .setOidcIssuer(issuerUrl).setOidcAudience("ridley").setOidcRolesClaim("ridley_roles").build());
    http = new AuthedHttp(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.stop(0);
  }

  static String token(RSAKey key, String subject, String audience, String issuerName, Instant expires, Object roles)
      throws Exception {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuerName).audience(audience)
        .expirationTime(Date.from(expires)).issueTime(new Date());
    if (roles != null) claims.claim("ridley_roles", roles);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  static String good(String subject, Object roles) throws Exception {
    return token(signing, subject, "ridley", issuerUrl, Instant.now().plusSeconds(300), roles);
  }

  @Test
  void a_token_of_the_issuer_names_the_principal_and_its_roles() throws Exception {
    String t = good("alice@example.com", List.of("client"));
    String id = http.start(t, "{\"payload\": {\"x\": 1}}");
    assertThat(http.get(t, "/api/v1/processes/" + id).json().path("user").asText()).isEqualTo("alice@example.com");
    assertThat(http.get(t, "/api/v1/me").json().path("roles").toString()).isEqualTo("[\"client\"]");
    AuthedHttp.Answer forbidden = http.post(t, "/api/v1/processes/" + id + "/cancel", "{}");
    assertThat(forbidden.status()).isEqualTo(403);
    String ops = good("carol", "operator metrics");
    assertThat(http.post(ops, "/api/v1/processes/" + id + "/cancel", "{}").status()).isEqualTo(200);
    assertThat(http.get(ops, "/metrics").status()).isEqualTo(200);
  }

  @Test
  void expired_foreign_or_misaddressed_tokens_are_401() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    List<String> bad = List.of(
        token(signing, "bob", "ridley", issuerUrl, Instant.now().minusSeconds(600), List.of("client")),
        token(signing, "bob", "another-service", issuerUrl, Instant.now().plusSeconds(300), List.of("client")),
        token(signing, "bob", "ridley", "http://127.0.0.1:1/other", Instant.now().plusSeconds(300), List.of("client")),
        token(stranger, "bob", "ridley", issuerUrl, Instant.now().plusSeconds(300), List.of("client")),
        good("bob", List.of("client")).replaceAll("\\.[^.]*$", ".c2lnbmF0dXJl"));
    for (String t : bad) {
      AuthedHttp.Answer a = http.get(t, "/api/v1/processes");
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.header("WWW-Authenticate")).startsWith("Bearer");
    }
  }

  @Test
  void a_token_signed_by_a_key_the_issuer_publishes_later_is_accepted_after_a_refresh() throws Exception {
    RSAKey next = new RSAKeyGenerator(2048).keyID("k2").generate();
    published.add(next);
    String t = token(next, "dave", "ridley", issuerUrl, Instant.now().plusSeconds(300), List.of("client"));
    assertThat(http.get(t, "/api/v1/processes").status()).isEqualTo(200);
  }

  @Test
  void a_token_without_roles_is_known_but_may_do_nothing_but_ask_who_it_is() throws Exception {
    String t = good("erin", null);
    assertThat(http.get(t, "/api/v1/me").status()).isEqualTo(200);
    assertThat(http.get(t, "/api/v1/processes").status()).isEqualTo(403);
  }
}
