package dev.ridley.server.http;

import dev.ridley.server.auth.PemKeyStore;
import dev.ridley.server.auth.Security;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS listener: Jetty's TLS over the certificate and key of {@code RIDLEY_TLS_CERT}/{@code _KEY}. */
final class Tls {

  private Tls() {}

  static ServerConnector connector(Server server, HttpConfiguration plain, Security.HttpsListener https) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(https.keyStore());
    ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration config = new HttpConfiguration(plain);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients reach a node by IP address as often as by name; the Host check is Ridley's own.
    secure.setSniHostCheck(false);
    config.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(config));
    connector.setHost(https.host());
    connector.setPort(https.port());
    return connector;
  }
}
