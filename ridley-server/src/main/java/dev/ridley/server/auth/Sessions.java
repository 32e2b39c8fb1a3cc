package dev.ridley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sign-in sessions: a cookie that names the principal and its expiry, signed with
 * HMAC-SHA256 under a key this node draws at start. Nothing secret is in the cookie (the key a
 * person typed is checked once and forgotten), and nothing is stored: a restart signs everyone
 * out. For a key, the cookie names the principal only, and its roles are looked up again on every
 * request, so removing a key from the file ends its sessions. The CSRF token is derived from the
 * cookie under the same key: a page must read it from {@code /api/v1/me} and send it back in
 * {@code X-CSRF-Token}, which another site's page cannot.
 */
public final class Sessions {

  public static final String COOKIE = "ridley_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  public static final Duration LIFETIME = Duration.ofHours(12);

  private final byte[] key = new byte[32];
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = clock;
    new SecureRandom().nextBytes(key);
  }

  /** A session's content: who, until when, and the roles a token gave (empty for a key). */
  public record Session(String name, long expiresAt, Set<Role> tokenRoles) {}

  /** A signed cookie value for {@code principal}. */
  public String issue(Principal principal, boolean fromToken) {
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    String roles = fromToken ? String.join(",", principal.roles().stream().map(Role::id).toList()) : "";
    String body = b64(principal.name()) + "." + expires + "." + b64(roles);
    return body + "." + b64(mac("session:" + body));
  }

  /** The session a cookie holds, or null when it is forged, malformed or expired. */
  public Session read(String cookie) {
    if (cookie == null) return null;
    String[] parts = cookie.split("\\.", -1);
    if (parts.length != 4) return null;
    String body = parts[0] + "." + parts[1] + "." + parts[2];
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(given, mac("session:" + body))) return null;
    try {
      long expires = Long.parseLong(parts[1]);
      if (clock.instant().getEpochSecond() >= expires) return null;
      String name = unb64(parts[0]);
      Set<Role> roles = EnumSet.noneOf(Role.class);
      String roleList = unb64(parts[2]);
      List<String> ids = roleList.isEmpty() ? List.of() : new ArrayList<>(List.of(roleList.split(",")));
      for (String id : ids) Role.of(id).ifPresent(roles::add);
      return new Session(name, expires, roles);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** An OIDC sign-in under way: its state, PKCE verifier and where to go afterwards. */
  public record Flow(String state, String verifier, String next) {}

  /** How long a sign-in at the issuer may take. */
  public static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);

  /** A signed cookie value for an OIDC sign-in under way. */
  public String issueFlow(Flow flow) {
    long expires = clock.instant().plus(FLOW_LIFETIME).getEpochSecond();
    String body = b64(flow.state()) + "." + b64(flow.verifier()) + "." + b64(flow.next()) + "." + expires;
    return body + "." + b64(mac("flow:" + body));
  }

  /** The sign-in a flow cookie holds, or null when it is forged, malformed or too old. */
  public Flow readFlow(String cookie) {
    if (cookie == null) return null;
    String[] parts = cookie.split("\\.", -1);
    if (parts.length != 5) return null;
    String body = String.join(".", parts[0], parts[1], parts[2], parts[3]);
    try {
      if (!MessageDigest.isEqual(Base64.getUrlDecoder().decode(parts[4]), mac("flow:" + body))) return null;
      if (clock.instant().getEpochSecond() >= Long.parseLong(parts[3])) return null;
      return new Flow(unb64(parts[0]), unb64(parts[1]), unb64(parts[2]));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The CSRF token that goes with a session cookie. */
  public String csrfToken(String cookie) {
    return HexFormat.of().formatHex(mac("csrf:" + cookie));
  }

  /** Whether {@code token} is the CSRF token of {@code cookie}, compared in constant time. */
  public boolean csrfMatches(String cookie, String token) {
    if (cookie == null || token == null) return false;
    return MessageDigest.isEqual(csrfToken(cookie).getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  private static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String unb64(String s) {
    return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
