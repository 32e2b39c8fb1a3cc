package dev.ridley.server.dashboard;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read once from {@code /dashboard/} on the classpath and served with an
 * ETag. Names are one flat folder of lowercase files, so a request can never leave it.
 */
final class Assets {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|css|js|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  /**
   * Same-origin only: the pages call the API on their own port and load nothing from elsewhere.
   * Styles set through the DOM ({@code el.style}) are allowed; style attributes in markup are not.
   */
  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private record File(byte[] bytes, String type, String etag) {}

  private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

  void serve(Context ctx, String name) {
    Optional<File> file =
        NAME.matcher(name).matches() ? cache.computeIfAbsent(name, Assets::read) : Optional.empty();
    if (file.isEmpty()) {
      ctx.status(404)
          .contentType("text/plain; charset=utf-8")
          .result("no dashboard file '" + name + "'");
      return;
    }
    File f = file.get();
    // Revalidate every time: an upgraded server must never run yesterday's scripts.
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", f.etag());
    ctx.header("X-Content-Type-Options", "nosniff");
    if (name.endsWith(".html")) {
      ctx.header("Content-Security-Policy", POLICY);
      ctx.header("Referrer-Policy", "same-origin");
    }
    if (f.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType(f.type()).result(f.bytes());
  }

  private static Optional<File> read(String name) {
    try (InputStream in = Assets.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      return Optional.of(new File(bytes, TYPES.get(ext), etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard file " + name, e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
