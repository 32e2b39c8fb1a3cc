package dev.ridley.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for the Ridley server's task and process endpoints, enough to test the SDK's side of
 * the protocol: it hands out queued tasks to long polls, records every request, and answers the
 * rest from per-route responders a test can replace.
 *
 * <p>Register it with {@code @RegisterExtension final FakeRidley ridley = new FakeRidley();}: it
 * stops after each test, once the test's own {@code @AfterEach} methods (closing workers) are done.
 */
final class FakeRidley implements AutoCloseable, AfterEachCallback {

  static final ObjectMapper JSON = new ObjectMapper();

  record Request(String method, String path, String query, JsonNode body) {
    UUID taskId() {
      return UUID.fromString(path.split("/")[4]);
    }
  }

  record Answer(int status, JsonNode body) {
    static Answer ok() {
      return new Answer(200, JSON.createObjectNode().put("status", "RUNNING"));
    }

    static Answer problem(int status, String detail) {
      ObjectNode body = JSON.createObjectNode();
      body.put("type", "about:blank").put("title", "problem").put("status", status);
      body.put("detail", detail);
      return new Answer(status, body);
    }
  }

  private final HttpServer server;
  private final LinkedBlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Pattern, Function<Request, Answer>>> routes =
      new CopyOnWriteArrayList<>();

  FakeRidley() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the fake Ridley server", e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::exchange);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A worker for this server that polls briefly (200 ms), so tests and closes stay quick. */
  RidleyWorker.Builder worker(String workerId) {
    return RidleyWorker.builder(uri()).workerId(workerId).pollWait(Duration.ofMillis(200));
  }

  /**
   * Answers requests whose "METHOD path" matches the regex; the latest route wins on ties. A
   * responder returning null lets the default behaviour answer.
   */
  void route(String methodAndPathRegex, Function<Request, Answer> responder) {
    routes.add(0, Map.entry(Pattern.compile(methodAndPathRegex), responder));
  }

  UUID enqueue(String stage, JsonNode payload) {
    return enqueue(stage, payload, null);
  }

  UUID enqueue(String stage, JsonNode payload, Long heartbeatMs) {
    UUID id = UUID.randomUUID();
    UUID processId = UUID.randomUUID();
    ObjectNode task = JSON.createObjectNode();
    task.put("id", id.toString());
    task.put("processId", processId.toString());
    task.put("pipeline", "divide");
    task.put("stage", stage);
    task.put("attempt", 1);
    task.set("payload", payload);
    task.put("traceId", processId + "@/2/3");
    if (heartbeatMs != null) {
      task.put("heartbeatMs", heartbeatMs);
    } else {
      task.putNull("heartbeatMs");
    }
    queue.add(task);
    return id;
  }

  List<Request> requests(String pathSuffix) {
    return requests.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
  }

  List<Request> requestsFor(UUID taskId, String action) {
    return requests("/api/v1/tasks/" + taskId + "/" + action);
  }

  List<Request> results() {
    return requests.stream()
        .filter(r -> r.path().endsWith("/complete") || r.path().endsWith("/fail"))
        .toList();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      JsonNode body = bytes.length == 0 ? MissingNode.getInstance() : JSON.readTree(bytes);
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              body);
      requests.add(request);
      Answer answer = answer(request);
      byte[] out = JSON.writeValueAsBytes(answer.body());
      String type = answer.status() >= 400 ? "application/problem+json" : "application/json";
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(answer.status(), out.length);
      exchange.getResponseBody().write(out);
    } catch (IOException e) {
      // The client went away (a worker's close cuts its long poll): nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Answer answer(Request request) throws InterruptedException {
    String key = request.method() + " " + request.path();
    for (var route : routes) {
      if (route.getKey().matcher(key).matches()) {
        Answer answer = route.getValue().apply(request);
        if (answer != null) {
          return answer;
        }
      }
    }
    if (key.equals("POST /api/v1/tasks/poll")) {
      return poll(request.body());
    }
    if (key.matches("POST /api/v1/tasks/[^/]+/(heartbeat|complete|fail)")) {
      return Answer.ok();
    }
    return Answer.problem(404, "no route for " + key);
  }

  private Answer poll(JsonNode body) throws InterruptedException {
    int max = body.path("max").asInt();
    long waitMs = body.path("waitMs").asLong();
    List<ObjectNode> claimed = new ArrayList<>();
    ObjectNode first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
    if (first != null) {
      claimed.add(first);
      queue.drainTo(claimed, max - 1);
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode tasks = answer.putArray("tasks");
    claimed.forEach(tasks::add);
    return new Answer(200, answer);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }
}
