package dev.ridley.server.auth;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call this node and from where: the authenticators (API keys, OIDC), the dashboard's
 * sessions, the host names the node answers to (against DNS rebinding) and the origins a browser
 * may call it from (CORS). Built once at start from the configuration; immutable.
 */
public final class Security {

  private static final Logger log = LoggerFactory.getLogger(Security.class);

  private final List<Authenticator> authenticators;
  private final ApiKeys keys;
  private final Sessions sessions;
  private final Set<String> hosts;
  private final Set<String> corsOrigins;
  private final boolean tls;
  private final String oidcIssuer;
  private final HttpsListener https;
  private final OidcSignIn oidcSignIn;
  private final String publicOrigin;

  /** Where and with which certificate to serve HTTPS. */
  public record HttpsListener(java.security.KeyStore keyStore, String host, int port) {}

  private Security(Builder b) {
    this.authenticators = List.copyOf(b.authenticators);
    this.keys = b.keys;
    this.sessions = new Sessions(b.clock);
    this.hosts = Set.copyOf(b.hosts);
    this.corsOrigins = Set.copyOf(b.corsOrigins);
    this.tls = b.tls;
    this.oidcIssuer = b.oidcIssuer;
    this.https = b.https;
    this.oidcSignIn = b.oidcSignIn;
    this.publicOrigin = b.publicOrigin;
  }

  /** The dashboard's sign-in through the issuer, or null when it is not configured. */
  public OidcSignIn oidcSignIn() {
    return oidcSignIn;
  }

  /** The HTTPS listener, or null to serve plain HTTP. */
  public HttpsListener https() {
    return https;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No authentication: every caller may do everything (loopback, or {@code RIDLEY_AUTH=none}). */
  public static Security off() {
    return builder().build();
  }

  /** Whether callers must prove who they are. */
  public boolean enabled() {
    return !authenticators.isEmpty();
  }

  /** The caller a bearer credential proves, or null; a refused one is logged without the credential. */
  public Principal authenticate(String credential) {
    for (Authenticator a : authenticators) {
      Principal p = a.authenticate(credential);
      if (p != null) return p;
    }
    return null;
  }

  /** The principal a session cookie names, its roles as they are now; null when it names no one. */
  public Principal fromSession(String cookie) {
    Sessions.Session s = sessions.read(cookie);
    if (s == null) return null;
    if (!s.tokenRoles().isEmpty()) return Principal.of(s.name(), s.tokenRoles());
    Principal p = keys == null ? null : keys.named(s.name());
    if (p == null) log.warn("a session of '{}' was refused: the key is no longer in the key file", s.name());
    return p;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Whether the dashboard's cookie is marked Secure (the node serves HTTPS). */
  public boolean tls() {
    return tls;
  }

  /** The OIDC issuer the sign-in page points to, or null. */
  public String oidcIssuer() {
    return oidcIssuer;
  }

  /**
   * Whether a request's {@code Host} names this node: an IP address (a DNS rebinding attack
   * always comes with the attacker's host name), {@code localhost}, the bound host name, or the
   * host of {@code RIDLEY_PUBLIC_URL}.
   */
  public boolean hostAllowed(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) return false;
    String host = hostOf(hostHeader);
    if (host == null) return false;
    if (host.startsWith("[") || host.matches("[0-9.]+")) return true;
    return host.equals("localhost") || hosts.contains(host);
  }

  /** The host of a Host header, lowercase and without the port; null when malformed. */
  static String hostOf(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    if (colon >= 0) h = h.substring(0, colon);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    return h.isEmpty() ? null : h;
  }

  /** Whether a browser page from {@code origin} may call this node (RIDLEY_CORS_ORIGINS). */
  public boolean corsAllowed(String origin) {
    return origin != null && corsOrigins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code origin} is this node's own: the request's Host, or the origin of {@code
   * RIDLEY_PUBLIC_URL} (behind a proxy that passes on another Host).
   */
  public boolean ownOrigin(String origin, String hostHeader) {
    return sameOrigin(origin, hostHeader) || (origin != null && publicOrigin != null && publicOrigin.equalsIgnoreCase(origin));
  }

  /** Whether {@code origin} is this node itself, as the request's Host names it. */
  public static boolean sameOrigin(String origin, String hostHeader) {
    if (origin == null || hostHeader == null) return false;
    try {
      URI o = URI.create(origin);
      String authority = o.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(hostHeader.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Settings of a {@link Security}. */
  public static final class Builder {
    private final java.util.ArrayList<Authenticator> authenticators = new java.util.ArrayList<>();
    private ApiKeys keys;
    private Clock clock = Clock.systemUTC();
    private final java.util.HashSet<String> hosts = new java.util.HashSet<>();
    private final java.util.HashSet<String> corsOrigins = new java.util.HashSet<>();
    private boolean tls;
    private String oidcIssuer;
    private HttpsListener https;
    private OidcSignIn oidcSignIn;
    private String publicOrigin;

    private Builder() {}

    /** The URL callers use ({@code RIDLEY_PUBLIC_URL}): its host is accepted, and its origin is this node's. */
    public Builder publicUrl(URI url) {
      host(url.getHost());
      this.publicOrigin = url.getScheme() + "://" + url.getRawAuthority();
      return this;
    }

    /** The dashboard signs in through the issuer. */
    public Builder oidcSignIn(OidcSignIn signIn) {
      this.oidcSignIn = signIn;
      return this;
    }

    /** API keys (RIDLEY_AUTH_FILE). */
    public Builder keys(ApiKeys keys) {
      this.keys = keys;
      authenticators.add(new KeyAuthenticator(keys));
      return this;
    }

    /** Any further authenticator, e.g. OIDC tokens. */
    public Builder authenticator(Authenticator a, String issuer) {
      authenticators.add(a);
      this.oidcIssuer = issuer;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** A host name the node answers to besides IP addresses and localhost. */
    public Builder host(String host) {
      if (host != null) hosts.add(host.toLowerCase(Locale.ROOT));
      return this;
    }

    public Builder corsOrigin(String origin) {
      corsOrigins.add(origin.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Serve HTTPS with this key store's key and certificate chain (password {@link PemKeyStore#PASSWORD}). */
    public Builder https(java.security.KeyStore keyStore, String host, int port) {
      this.tls = true;
      this.https = new HttpsListener(keyStore, host, port);
      return this;
    }

    public Security build() {
      return new Security(this);
    }
  }

  /** API keys as an authenticator; a refused key is logged by the SHA-256 prefix of what was sent. */
  private record KeyAuthenticator(ApiKeys keys) implements Authenticator {
    @Override
    public Principal authenticate(String credential) {
      Principal p = keys.find(credential);
      if (p == null && !credential.contains(".")) {
        log.warn("refused an unknown API key (its SHA-256 starts {})", ApiKeys.sha256Hex(credential).substring(0, 8));
      }
      return p;
    }
  }
}
