package dev.ridley.worker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** JSON over HTTP/1.1 to one Ridley server. Thread-safe. */
public final class Transport implements AutoCloseable {

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final String base;
  private final Duration requestTimeout;
  private final Supplier<String> credentials;
  private volatile boolean closed;

  public Transport(URI server, Duration requestTimeout) {
    this(server, requestTimeout, null);
  }

  /**
   * @param credentials gives the bearer credential (an API key, or a current OIDC access token)
   *     for each request; null sends none
   */
  public Transport(URI server, Duration requestTimeout, Supplier<String> credentials) {
    this(server, requestTimeout, credentials, null);
  }

  /** @param ssl the TLS context for an https server (e.g. one trusting a private CA); null: the JDK's */
  public Transport(URI server, Duration requestTimeout, Supplier<String> credentials, javax.net.ssl.SSLContext ssl) {
    this.credentials = credentials;
    this.base = baseOf(server);
    this.requestTimeout = requestTimeout;
    Duration connect =
        requestTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? requestTimeout : MAX_CONNECT_TIMEOUT;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connect);
    if (ssl != null) http.sslContext(ssl);
    this.http = http.build();
  }

  private static String baseOf(URI server) {
    if (server == null
        || !server.isAbsolute()
        || !("http".equals(server.getScheme()) || "https".equals(server.getScheme()))
        || server.getHost() == null) {
      throw new IllegalArgumentException(
          "the server URI must be absolute http(s), e.g. http://127.0.0.1:8088, was " + server);
    }
    String text = server.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  public String base() {
    return base;
  }

  public Response post(String path, JsonNode body) throws IOException, InterruptedException {
    return post(path, body, requestTimeout);
  }

  public Response post(String path, JsonNode body, Duration timeout)
      throws IOException, InterruptedException {
    byte[] bytes = Json.PROTOCOL.writeValueAsBytes(body);
    return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(bytes), timeout);
  }

  public Response get(String pathAndQuery) throws IOException, InterruptedException {
    return send("GET", pathAndQuery, HttpRequest.BodyPublishers.noBody(), requestTimeout);
  }

  /**
   * Interrupting the calling thread aborts the exchange (the JDK cancels it) and throws
   * InterruptedException; the worker relies on that to end a long poll at close.
   */
  private Response send(
      String method, String path, HttpRequest.BodyPublisher body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, application/problem+json")
            .method(method, body);
    String credential = credentials == null ? null : credentials.get();
    if (credential != null && !credential.isBlank()) {
      request.header("Authorization", "Bearer " + credential.strip());
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(method, path, response.statusCode(), parse(response.body()));
  }

  /** A proxy's HTML error page must not hide the status, so unreadable bodies become text. */
  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return Json.PROTOCOL.readTree(body);
    } catch (JsonProcessingException e) {
      String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
      return TextNode.valueOf(text.length() > 500 ? text.substring(0, 500) + "…" : text);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** Waits for requests in flight (the caller ends its long polls first), then frees the pool. */
  @Override
  public void close() {
    closed = true;
    http.close();
  }

  /** Aborts whatever is still in flight. */
  public void closeNow() {
    closed = true;
    http.shutdownNow();
  }

  public boolean isClosed() {
    return closed;
  }
}
