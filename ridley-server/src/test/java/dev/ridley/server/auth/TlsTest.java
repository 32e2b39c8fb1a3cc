package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ridley.server.RidleyServer;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.StartRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PEM certificate and key (a self-signed one made here with openssl). */
class TlsTest {

  @Test
  void the_server_serves_https_with_its_pem_certificate_and_the_sdk_and_a_plain_client_use_it(@TempDir Path dir)
      throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs openssl to make a certificate");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();

    try (RidleyServer server = RidleyServer.start(Keys.config().toBuilder().setTls(cert, key).build())) {
      URI uri = server.uri();
      assertThat(uri.getScheme()).isEqualTo("https");
      SSLContext trusting = trusting(cert);

      HttpClient plain = HttpClient.newBuilder().sslContext(trusting).build();
      HttpResponse<String> health = plain.send(HttpRequest.newBuilder(uri.resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.sslSession()).isPresent();

      try (RidleyClient client = RidleyClient.builder(uri).apiKey(Keys.SHOP).sslContext(trusting).build()) {
        var started = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 2)));
        assertThat(started.process().user()).isEqualTo("shop");
      }
      // A client that does not trust the certificate does not talk to it.
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString())).isNotNull()
          .isInstanceOfAny(SSLHandshakeException.class, java.io.IOException.class);
    }
  }

  static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("ridley", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

}
