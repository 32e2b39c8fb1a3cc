package dev.ridley.examples.crossprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The service side of the cross-process scenario: {@code GET /divide?x=1&y=2} answers {@code
 * {"quotient": 0.5}}. Each request continues the caller's Eliot task (its {@code X-Eliot-Task-Id}
 * header) and logs a {@code divide:compute} action, so in the merged logs the division, and with
 * {@code y=0} its failure, nests under the caller's request. A failure answers 500 with the error.
 */
public final class DivideService {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DivideService() {}

  /** Starts serving on {@code port} (0: any free port) until the returned server is stopped. */
  public static HttpServer start(int port, EliotLog log) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/divide", exchange -> handle(exchange, log));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static void handle(HttpExchange exchange, EliotLog log) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    ObjectNode answer = JSON.createObjectNode();
    int status;
    try (Action remote = log.continueFromHeaders(exchange.getRequestHeaders()::getFirst)) {
      try {
        BigDecimal q = divide(remote, query.get("x"), query.get("y"));
        answer.put("quotient", q);
        remote.addSuccessFields(Map.of("quotient", q));
        status = 200;
      } catch (Exception e) {
        remote.fail(e);
        answer.put("exception", e.getClass().getName()).put("reason", String.valueOf(e.getMessage()));
        status = e instanceof NumberFormatException ? 400 : 500;
      }
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The division, as its own action: BigDecimal throws ArithmeticException for y = 0. */
  static BigDecimal divide(Action parent, String x, String y) throws Exception {
    return parent.startAction("divide:compute", Map.of("x", String.valueOf(x), "y", String.valueOf(y)))
        .call(() -> new BigDecimal(x).divide(new BigDecimal(y), MathContext.DECIMAL64));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
