package dev.ridley.server;

import dev.ridley.server.auth.ApiKeys;
import dev.ridley.server.auth.OidcSignIn;
import dev.ridley.server.auth.OidcTokens;
import dev.ridley.server.auth.PemKeyStore;
import dev.ridley.server.auth.Security;
import dev.ridley.server.config.ServerConfig;
import java.net.URI;

/** Builds the node's {@link Security} from its configuration: keys, tokens, hosts, origins, TLS. */
final class SecuritySetup {

  private SecuritySetup() {}

  static Security of(ServerConfig config) {
    ServerConfig.Security s = config.security();
    Security.Builder b = Security.builder();
    if (s.authFile() != null) b.keys(ApiKeys.load(s.authFile()));
    if (s.oidcIssuer() != null) {
      OidcTokens tokens = OidcTokens.discover(s.oidcIssuer(), s.oidcAudience(), s.oidcUserClaim(), s.oidcRolesClaim());
      b.authenticator(tokens, s.oidcIssuer());
      if (s.oidcClientId() != null) b.oidcSignIn(new OidcSignIn(tokens, s.oidcClientId(), s.oidcClientSecret()));
    }
    b.host(config.bind());
    if (s.publicUrl() != null) b.publicUrl(URI.create(s.publicUrl()));
    s.corsOrigins().forEach(b::corsOrigin);
    if (s.tls()) b.https(PemKeyStore.load(s.tlsCert(), s.tlsKey()), config.bind(), config.httpPort());
    return b.build();
  }
}
