package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** HTTPS from a PEM certificate and key (a self-signed one made here with the JDK's keytool). */
class TlsTest {

  @Test
  void the_server_serves_https_with_its_pem_certificate_and_the_sdk_and_a_plain_client_use_it(@TempDir Path dir)
      throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSigned(dir, cert, key);

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

  /**
   * A self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool and written
   * as the PEM files an operator would have (certificate; PKCS#8 key).
   */
  static void selfSigned(Path dir, Path cert, Path key) throws Exception {
    Path store = dir.resolve("self.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "ridley", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(ks.getCertificate("ridley").getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + pem.encodeToString(ks.getKey("ridley", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
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
