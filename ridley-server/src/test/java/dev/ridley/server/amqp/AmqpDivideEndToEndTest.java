package dev.ridley.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.ridley.examples.DivideWorkers;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.engine.testing.TestRabbit;
import dev.ridley.server.TestServers;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.ProcessStatus;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The divide pipeline over a real RabbitMQ: the server relays the outbox, the Java SDK consumes. */
class AmqpDivideEndToEndTest {

  static TestRabbit rabbit;
  static RidleyServer server;
  static RidleyClient client;
  static Http http;

  @BeforeAll
  static void start() {
    rabbit = TestRabbit.shared();
    server = RidleyServer.start(TestServers.config().toBuilder()
        .setPipelines(TestServers.repoRoot().resolve("pipelines-amqp")).setAmqpUrl(rabbit.url()).build());
    client = RidleyClient.create(server.uri());
    http = new Http(server.uri());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static RidleyWorker workers(String id) {
    return DivideWorkers.register(RidleyWorker.builder(server.uri()).workerId(id).concurrency(8)
        .shutdownTimeout(Duration.ofSeconds(2)).amqp(URI.create(rabbit.url()))).build().start();
  }

  ProcessInfo awaitEnd(UUID id) {
    await().atMost(Duration.ofSeconds(30)).until(() -> client.get(id).orElseThrow().status().isTerminal());
    return client.get(id).orElseThrow();
  }

  @Test
  void divide_runs_end_to_end_over_rabbitmq_with_the_java_sdk() throws Exception {
    try (RidleyWorker w = workers("amqp-e2e")) {
      UUID half = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 2))).process().id();
      UUID zero = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 0))).process().id();
      ProcessInfo p = awaitEnd(half);
      assertThat(p.status()).isEqualTo(ProcessStatus.SUCCEEDED);
      assertThat(p.output().asDouble()).isEqualTo(0.5);
      assertThat(p.lastSeen().stage()).isEqualTo("ocean");
      ProcessInfo failed = awaitEnd(zero);
      assertThat(failed.status()).isEqualTo(ProcessStatus.FAILED);
      assertThat(failed.lastSeen().stage()).isEqualTo("errors");
      assertThat(failed.error().type()).isEqualTo("java.lang.ArithmeticException");
      JsonNode events = http.get("/api/v1/processes/" + half + "/events").json().path("events");
      assertThat(events.findValuesAsText("type")).contains("task.claimed", "task.completed", "process.succeeded")
          .doesNotContain("task.result_refused");
      String tree = new String(java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(server.uri().resolve("/api/v1/processes/" + half + "/tree"))
              .header("Accept", "text/plain").build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(tree).contains("divide").contains("ocean").contains("amqp-e2e");
    }
  }

  @Test
  void health_reports_amqp_up_and_the_pipeline_shows_its_transport() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(http.get("/health").json().path("amqp").asText()));
    JsonNode stage = http.get("/api/v1/pipelines/divide").json().path("stages").get(0);
    assertThat(stage.path("transport").asText()).isEqualTo("amqp");
    String metrics = http.get("/metrics").text();
    assertThat(metrics).contains("ridley_amqp_up 1.0").contains("ridley_amqp_outbox_backlog");
  }

  @Test
  void a_task_message_carries_the_poll_shape_and_the_agreed_properties() throws Exception {
    server.engine().operations().pause("divide", "ocean");
    try (RidleyWorker w = workers("amqp-props");
         Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      UUID id = client.start("divide", StartRequest.of(Map.of("x", 4, "y", 2))).process().id();
      // divide runs, then its ocean task waits (paused); resumed, it is published and taken here.
      await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).orElseThrow().lastSeen().stage().equals("ocean"));
      w.close();
      server.engine().operations().resume("divide", "ocean");
      GetResponse got = null;
      for (int i = 0; i < 100 && got == null; i++) {
        got = ch.basicGet(Topology.tasks("divide", "ocean"), false);
        if (got == null) Thread.sleep(100);
      }
      assertThat(got).as("the ocean task was published").isNotNull();
      JsonNode task = new ObjectMapper().readTree(got.getBody());
      assertThat(task.path("processId").asText()).isEqualTo(id.toString());
      assertThat(task.path("stage").asText()).isEqualTo("ocean");
      assertThat(task.path("payload").asDouble()).isEqualTo(2.0);
      assertThat(task.has("traceId")).isTrue();
      assertThat(task.has("heartbeatMs")).isTrue();
      assertThat(got.getProps().getContentType()).isEqualTo("application/json");
      assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(got.getProps().getMessageId()).isEqualTo(task.path("id").asText());
      assertThat(got.getProps().getCorrelationId()).isEqualTo(id.toString());
      assertThat(got.getProps().getHeaders()).containsKey("traceparent");
      ch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
    }
  }

  @Test
  void results_sent_straight_to_the_queue_are_applied_once_and_refusals_are_journaled() throws Exception {
    server.engine().operations().pause("divide", "ocean");
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      UUID id = client.start("divide", StartRequest.of(Map.of("x", 9, "y", 3, "raw", true))).process().id();
      JsonNode task = null;
      for (int i = 0; i < 100 && task == null; i++) {
        GetResponse got = ch.basicGet(Topology.tasks("divide", "divide"), true);
        if (got == null) {
          Thread.sleep(100);
          continue;
        }
        JsonNode t = new ObjectMapper().readTree(got.getBody());
        if (t.path("processId").asText().equals(id.toString())) task = t;
      }
      assertThat(task).as("the divide task was published").isNotNull();
      String taskId = task.path("id").asText();
      com.rabbitmq.client.AMQP.BasicProperties json = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
          .contentType("application/json").deliveryMode(2).build();
      ch.basicPublish("", Topology.RESULTS, json, ("{\"id\": \"" + taskId + "\", \"outcom\": \"ok\"}").getBytes());
      String result = "{\"id\": \"" + taskId + "\", \"outcome\": \"ok\", \"output\": 3}";
      ch.basicPublish("", Topology.RESULTS, json, result.getBytes());
      await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).orElseThrow().lastSeen().stage().equals("ocean"));
      ch.basicPublish("", Topology.RESULTS, json, result.getBytes());
      await().atMost(Duration.ofSeconds(20)).until(() -> refusals(id).size() == 2);
      assertThat(refusals(id)).extracting(e -> e.path("data").path("reason").asText())
          .containsExactlyInAnyOrder("invalid", "duplicate");
      assertThat(refusals(id).stream().filter(e -> e.path("data").path("reason").asText().equals("invalid")))
          .singleElement().satisfies(e -> assertThat(e.path("data").path("detail").asText()).contains("outcom"));
      JsonNode events = http.get("/api/v1/processes/" + id + "/events").json().path("events");
      assertThat(events.findValuesAsText("type").stream().filter("task.completed"::equals)).hasSize(1);
    } finally {
      server.engine().operations().resume("divide", "ocean");
    }
  }

  static java.util.List<JsonNode> refusals(UUID process) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode e : http.get("/api/v1/processes/" + process + "/events").json().path("events")) {
      if (e.path("type").asText().equals("task.result_refused")) out.add(e);
    }
    return out;
  }

  static ConnectionFactory factory() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(rabbit.url());
    return f;
  }
}
