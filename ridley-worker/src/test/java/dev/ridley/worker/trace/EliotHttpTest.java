package dev.ridley.worker.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An HTTP call carries the trace; the service continues it, nested under the request. */
class EliotHttpTest {

  final List<ObjectNode> client = new CopyOnWriteArrayList<>();
  final List<ObjectNode> service = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  HttpServer server;

  @BeforeEach
  void startService() throws Exception {
    EliotLog serviceLog = EliotLog.to(service::add);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/divide", exchange -> {
      headers.add(Map.of(
          TraceHeaders.ELIOT_TASK_ID, exchange.getRequestHeaders().getFirst(TraceHeaders.ELIOT_TASK_ID),
          TraceHeaders.TRACEPARENT, exchange.getRequestHeaders().getFirst(TraceHeaders.TRACEPARENT)));
      int status;
      try (Action remote = serviceLog.continueFromHeaders(exchange.getRequestHeaders()::getFirst)) {
        try {
          remote.startAction("service:divide").call(() -> 1 / Integer.parseInt(exchange.getRequestURI().getQuery()));
          status = 200;
        } catch (Exception e) {
          remote.fail(e);
          status = 500;
        }
      }
      byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<String> call(Action parent, int y) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/divide?" + y);
    try (HttpClient http = HttpClient.newHttpClient()) {
      return TracedHttp.send(parent, http, HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  static List<String> levels(List<ObjectNode> messages) {
    return messages.stream().map(m -> m.get("task_level").toString()).toList();
  }

  @Test
  void the_service_continues_the_task_under_the_request_and_its_failure_fails_the_request() throws Exception {
    Action root = EliotLog.to(client::add).startTask("client:divide");
    HttpResponse<String> response = call(root, 0);
    root.close();

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(headers.getFirst().get(TraceHeaders.ELIOT_TASK_ID)).isEqualTo(root.taskUuid() + "@/2/2");
    assertThat(headers.getFirst().get(TraceHeaders.TRACEPARENT))
        .isEqualTo(TraceHeaders.traceparent(root.taskUuid() + "@/2/2"));
    assertThat(levels(client)).containsExactly("[1]", "[2,1]", "[2,3]", "[3]");
    assertThat(levels(service)).containsExactly("[2,2,1]", "[2,2,2,1]", "[2,2,2,2]", "[2,2,3]");
    assertThat(service).allSatisfy(m -> assertThat(m.path("task_uuid").asText()).isEqualTo(root.taskUuid()));

    ObjectNode divided = service.get(2);
    assertThat(divided.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(divided.path("reason").asText()).isEqualTo("/ by zero");
    ObjectNode request = client.get(2);
    assertThat(request.path("action_type").asText()).isEqualTo(TracedHttp.ACTION_TYPE);
    assertThat(request.path("action_status").asText()).isEqualTo("failed");
    assertThat(request.path("exception").asText()).isEqualTo("HttpError");
    assertThat(request.path("reason").asText()).startsWith("HTTP 500 from GET http://127.0.0.1:");
  }

  @Test
  void a_successful_call_ends_the_request_with_its_status() throws Exception {
    Action root = EliotLog.to(client::add).startTask("client:divide");
    call(root, 1);
    root.close();
    assertThat(client.get(1).path("method").asText()).isEqualTo("GET");
    assertThat(client.get(2).path("action_status").asText()).isEqualTo("succeeded");
    assertThat(client.get(2).path("status").asInt()).isEqualTo(200);
  }
}
