package dev.ridley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dashboard's sign-in through the OIDC issuer: the authorization-code flow with PKCE, for a
 * public client ({@code RIDLEY_OIDC_CLIENT_ID}, and {@code RIDLEY_OIDC_CLIENT_SECRET} for a
 * confidential one). The access token it gets is checked exactly as a bearer token would be
 * ({@link OidcTokens}), and only the session made from it is kept.
 */
public final class OidcSignIn {

  private final OidcTokens tokens;
  private final String clientId;
  private final String clientSecret;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public OidcSignIn(OidcTokens tokens, String clientId, String clientSecret) {
    if (tokens.authorizationEndpoint() == null || tokens.tokenEndpoint() == null) {
      throw new AuthConfigException("RIDLEY_OIDC_CLIENT_ID is set, but the issuer's discovery document names no"
          + " authorization_endpoint and token_endpoint; unset it (the dashboard then takes keys and tokens)");
    }
    this.tokens = tokens;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** A random state or PKCE verifier: 256 bits, URL-safe. */
  public static String random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Where to send the browser: the issuer's authorization endpoint with this state and verifier's challenge. */
  public URI authorizationUrl(String redirectUri, String state, String verifier) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirectUri);
    q.put("scope", "openid");
    q.put("state", state);
    q.put("code_challenge", challenge(verifier));
    q.put("code_challenge_method", "S256");
    String base = tokens.authorizationEndpoint().toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + form(q));
  }

  /**
   * Exchanges the code for an access token and checks it; the principal, or null when the issuer
   * refused the code or its token does not pass.
   */
  public Principal exchange(String code, String redirectUri, String verifier) throws IOException, InterruptedException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", redirectUri);
    body.put("client_id", clientId);
    body.put("code_verifier", verifier);
    if (clientSecret != null) body.put("client_secret", clientSecret);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokens.tokenEndpoint()).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) return null;
    JsonNode answer = new ObjectMapper().readTree(r.body());
    String token = answer.path("access_token").asText(null);
    return token == null ? null : tokens.authenticate(token);
  }

  static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
