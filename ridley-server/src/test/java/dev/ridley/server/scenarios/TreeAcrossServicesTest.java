package dev.ridley.server.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ridley.engine.tree.ActionNode;
import dev.ridley.engine.tree.EliotLines;
import dev.ridley.engine.tree.EliotMessage;
import dev.ridley.engine.tree.TaskLevel;
import dev.ridley.engine.tree.TaskTree;
import dev.ridley.engine.tree.TraceIds;
import dev.ridley.engine.tree.TreeText;
import dev.ridley.engine.tree.Trees;
import dev.ridley.engine.testing.EliotParser;
import dev.ridley.examples.crossprocess.DivideService;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.StartRequest;
import dev.ridley.worker.trace.EliotLog;
import dev.ridley.worker.trace.TracedHttp;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One tree per message across processes: a worker's handler calls the divide service over HTTP;
 * the process's export merged with the service's own log nests the service's failure under the
 * worker's request, under its attempt, under the process.
 */
class TreeAcrossServicesTest {

  @Test
  void the_services_division_failure_nests_under_the_workers_request_in_the_processs_tree() throws Exception {
    List<ObjectNode> serviceLog = new CopyOnWriteArrayList<>();
    List<String> traceIds = new CopyOnWriteArrayList<>();
    HttpServer service = DivideService.start(0, EliotLog.to(serviceLog::add));
    URI divider = URI.create("http://127.0.0.1:" + service.getAddress().getPort());
    try (RidleyServer server = TestServers.start();
        HttpClient http = HttpClient.newHttpClient();
        RidleyWorker worker = RidleyWorker.builder(server.uri()).workerId("remote-divider")
            .pollWait(Duration.ofMillis(500))
            .handle("divide", t -> {
              traceIds.add(t.traceId());
              URI uri = divider.resolve("/divide?x=" + t.input().path("x") + "&y=" + t.input().path("y"));
              HttpResponse<String> r = TracedHttp.send(t.action(), http, HttpRequest.newBuilder(uri).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) throw new IllegalStateException("divider answered " + r.body());
              return r.body();
            })
            .handle("errors", t -> t.input())
            .build().start();
        RidleyClient client = RidleyClient.create(server.uri())) {
      UUID id = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 0))).process().id();
      await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).orElseThrow().status().isTerminal());

      assertThat(traceIds.getFirst())
          .as("the task id a worker gets must name its attempt's worker slot (TraceIds.forTask), so what"
              + " it and its callees log nests there; Engine.toClaimed must hand out TraceIds.forTask")
          .isEqualTo(TraceIds.forTask(id, 1));
      String export = new Http(server.uri()).get("/api/v1/processes/" + id + "/tree?format=eliot").text();
      List<EliotMessage> messages = new ArrayList<>(
          EliotLines.read(new BufferedReader(new StringReader(export)), "export").messages());
      serviceLog.forEach(m -> messages.add(EliotMessage.of(m)));

      Trees.Merged merged = Trees.merge(messages);
      assertThat(merged.tasks()).hasSize(1);
      TaskTree tree = merged.tasks().getFirst();
      String text = TreeText.render(tree, 0);
      assertThat(tree.complete()).as(text).isTrue();
      ActionNode request = (ActionNode) Trees.find(tree, TaskLevel.of(2, 3, 2));
      assertThat(request.actionType()).as(text).isEqualTo(TracedHttp.ACTION_TYPE);
      ActionNode compute = (ActionNode) Trees.find(tree, TaskLevel.of(2, 3, 2, 2, 2));
      assertThat(compute.actionType()).as(text).isEqualTo("divide:compute");
      assertThat(compute.end().json().path("reason").asText()).isEqualTo("Division by zero");
      assertThat(text).contains("ridley:stage:divide/2/1 ⇒ started")
          .contains("ridley:handler/2/3/1 ⇒ started")
          .contains("eliot:remote_task/2/3/2/2/1 ⇒ started")
          .contains("divide:compute/2/3/2/2/2/2 ⇒ failed");
      assertThat(EliotParser.parse(EliotLines.write(messages))).singleElement()
          .satisfies(t -> assertThat(t.complete()).as("Eliot's parser finds the merged task complete").isTrue());
    } finally {
      service.stop(0);
    }
  }
}
