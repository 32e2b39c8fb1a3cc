package dev.ridley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer JWTs signed by an OIDC issuer ({@code RIDLEY_OIDC_ISSUER}): the signing keys come from
 * the JWK set its discovery document names, cached and refreshed by Nimbus JOSE+JWT (a token
 * signed by a key not yet seen fetches the set again, at most every few seconds). A token must
 * name the issuer, the audience when one is set ({@code RIDLEY_OIDC_AUDIENCE}), carry an expiry
 * that has not passed, and the user claim; its roles are the known names in the roles claim.
 */
public final class OidcTokens implements Authenticator {

  private static final Logger log = LoggerFactory.getLogger(OidcTokens.class);
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String userClaim;
  private final String rolesClaim;
  private URI authorizationEndpoint;
  private URI tokenEndpoint;

  private OidcTokens(JWKSource<SecurityContext> keys, String issuer, String audience, String userClaim,
      String rolesClaim) {
    this.userClaim = userClaim;
    this.rolesClaim = rolesClaim;
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
        audience == null ? null : new HashSet<>(Set.of(audience)),
        new JWTClaimsSet.Builder().issuer(issuer).build(),
        new HashSet<>(Set.of("exp", userClaim)), new HashSet<>()));
  }

  /**
   * Reads the issuer's discovery document ({@code /.well-known/openid-configuration}) for its
   * {@code jwks_uri}; fails at start, naming the variable, when it cannot.
   */
  public static OidcTokens discover(String issuer, String audience, String userClaim, String rolesClaim) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI discovery = URI.create(base + "/.well-known/openid-configuration");
    JsonNode doc;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException("answered " + r.statusCode());
      doc = new ObjectMapper().readTree(r.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new AuthConfigException("RIDLEY_OIDC_ISSUER=" + issuer + ": its discovery document " + discovery
          + " cannot be read (" + e.getMessage() + "); check the issuer URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthConfigException("interrupted while reading " + discovery, e);
    }
    String jwks = doc.path("jwks_uri").asText(null);
    if (jwks == null) throw new AuthConfigException("RIDLEY_OIDC_ISSUER=" + issuer + ": " + discovery + " names no jwks_uri");
    if (!issuer.equals(doc.path("issuer").asText(issuer))) {
      throw new AuthConfigException("RIDLEY_OIDC_ISSUER=" + issuer + " differs from the issuer its discovery document"
          + " names, " + doc.path("issuer").asText() + "; set it exactly so");
    }
    try {
      JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(URI.create(jwks).toURL())
          .cache(Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(15).toMillis())
          .rateLimited(Duration.ofSeconds(10).toMillis())
          .retrying(true)
          .build();
      OidcTokens tokens = new OidcTokens(keys, issuer, audience, userClaim, rolesClaim);
      String authorize = doc.path("authorization_endpoint").asText(null);
      String token = doc.path("token_endpoint").asText(null);
      if (authorize != null && token != null) {
        tokens.authorizationEndpoint = URI.create(authorize);
        tokens.tokenEndpoint = URI.create(token);
      }
      return tokens;
    } catch (java.net.MalformedURLException e) {
      throw new AuthConfigException("RIDLEY_OIDC_ISSUER=" + issuer + ": jwks_uri " + jwks + " is not a URL", e);
    }
  }

  /** The issuer's authorization endpoint (for the dashboard's sign-in), or null when it names none. */
  public URI authorizationEndpoint() {
    return authorizationEndpoint;
  }

  /** The issuer's token endpoint, or null when it names none. */
  public URI tokenEndpoint() {
    return tokenEndpoint;
  }

  @Override
  public Principal authenticate(String credential) {
    if (credential.chars().filter(c -> c == '.').count() != 2) return null;
    String subject = null;
    try {
      subject = SignedJWT.parse(credential).getJWTClaimsSet().getStringClaim(userClaim);
    } catch (java.text.ParseException | RuntimeException e) {
      // not even readable: refused below
    }
    try {
      JWTClaimsSet claims = processor.process(credential, null);
      String name = claims.getStringClaim(userClaim);
      if (name == null || name.isBlank()) throw new IllegalArgumentException("no " + userClaim + " claim");
      return Principal.of(name, roles(claims));
    } catch (Exception e) {
      log.warn("refused a token{}: {}", subject == null ? "" : " of '" + subject + "'", e.getMessage());
      return null;
    }
  }

  private Set<Role> roles(JWTClaimsSet claims) throws java.text.ParseException {
    Object value = claims.getClaim(rolesClaim);
    List<String> names = value instanceof String one ? List.of(one.split("[ ,]+"))
        : value == null ? List.of() : claims.getStringListClaim(rolesClaim);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Set<String> unknown = new HashSet<>();
    for (String n : names) Role.of(n).ifPresentOrElse(roles::add, () -> unknown.add(n));
    return roles;
  }
}
