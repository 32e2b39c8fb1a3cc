package dev.ridley.server.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key store for HTTPS from the PEM files most tools write ({@code RIDLEY_TLS_CERT}: the
 * certificate chain; {@code RIDLEY_TLS_KEY}: an unencrypted PKCS#8 key, {@code BEGIN PRIVATE KEY},
 * RSA or EC). Read with the JDK alone.
 */
public final class PemKeyStore {

  /** The in-memory password of the store; it never leaves this process. */
  public static final String PASSWORD = "ridley";

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeyStore() {}

  public static KeyStore load(Path certFile, Path keyFile) {
    try {
      List<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)))
          .stream().toList();
      if (chain.isEmpty()) {
        throw new AuthConfigException("RIDLEY_TLS_CERT=" + certFile + " holds no PEM certificate");
      }
      PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("ridley", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new AuthConfigException("RIDLEY_TLS_CERT=" + certFile + " and RIDLEY_TLS_KEY=" + keyFile
          + " cannot be read as a PEM certificate and key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new AuthConfigException("RIDLEY_TLS_KEY=" + file + " holds a '" + type + "'; convert it to PKCS#8"
            + " with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
      }
    }
    throw new AuthConfigException("RIDLEY_TLS_KEY=" + file + " holds no PEM private key (BEGIN PRIVATE KEY)");
  }
}
