package dev.ridley.server.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.examples.failover.FailoverWorkers;
import dev.ridley.examples.failover.OutputListener;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover scenario with real sockets: three outputs that the test takes down and brings back,
 * and the pipeline's failed routes and self-replaying park doing the rest.
 */
class FailoverScenarioTest {

  /** The shipped pipeline with a short replayAfter, so the test runs in seconds. */
  static final String FAILOVER =
      """
      name: failover
      stages:
        output-1: {}
        output-2: {}
        output-3: {}
      routes:
        - output-1.failed -> output-2
        - output-2.failed -> output-3
        - output-3.failed -> @park(replayAfter=1s, to=output-1)
      """;

  @TempDir Path pipelines;

  @Test
  void messages_fail_over_park_when_every_output_is_down_and_are_replayed_when_one_is_back()
      throws Exception {
    Files.writeString(pipelines.resolve("failover.yaml"), FAILOVER);
    List<OutputListener> outputs = IntStream.rangeClosed(1, 3)
        .mapToObj(n -> new OutputListener("output-" + n, 0)).toList();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(pipelines)
            .setSweepInterval(Duration.ofMillis(100)).build());
        RidleyWorker worker = FailoverWorkers.register(
                RidleyWorker.builder(server.uri()).workerId("sender").pollWait(Duration.ofSeconds(1)),
                outputs.stream().map(OutputListener::port).toList())
            .build().start()) {
      Http http = new Http(server.uri());
      List<String> sent = new ArrayList<>();

      // Output 1 down: the messages fail over to output 2.
      outputs.get(1).up();
      outputs.get(2).up();
      List<String> first = send(http, sent, "a", 5);
      awaitStatus(http, first, "SUCCEEDED");
      assertThat(outputs.get(1).received()).containsAll(messages(first, http));
      assertThat(outputs.get(0).received()).isEmpty();

      // Every output down: the messages park after trying all three.
      outputs.forEach(OutputListener::down);
      List<String> second = send(http, sent, "b", 5);
      awaitStatus(http, second, "PARKED");
      JsonNode parked = http.get("/api/v1/processes?pipeline=failover&status=PARKED").json().path("items");
      assertThat(parked.findValuesAsText("id")).containsAll(second);
      JsonNode one = http.get("/api/v1/processes/" + second.getFirst()).json();
      assertThat(one.path("park").path("stage").asText()).isEqualTo("output-3");
      assertThat(one.path("park").path("to").asText()).isEqualTo("output-1");

      // Output 1 back: the parked messages replay themselves from output 1 and are delivered there.
      outputs.get(0).up();
      awaitStatus(http, second, "SUCCEEDED");
      assertThat(outputs.get(0).received()).containsAll(messages(second, http));
      for (String id : second) {
        JsonNode p = http.get("/api/v1/processes/" + id).json();
        assertThat(p.path("replays").asInt()).isPositive();
        assertThat(p.path("output").path("deliveredTo").asText()).isEqualTo("output-1");
      }

      // Every message was delivered at least once, counted at the listeners.
      Set<String> delivered = new HashSet<>();
      outputs.forEach(o -> delivered.addAll(o.received()));
      assertThat(delivered).containsAll(messages(sent, http));
    } finally {
      outputs.forEach(OutputListener::close);
    }
  }

  static List<String> send(Http http, List<String> sent, String batch, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Http.Answer a = http.post("/api/v1/pipelines/failover/processes",
          "{\"payload\":{\"message\":\"" + batch + "-" + i + "\"}}");
      assertThat(a.status()).isEqualTo(201);
      ids.add(a.json().path("process").path("id").asText());
    }
    sent.addAll(ids);
    return ids;
  }

  /** The lines the outputs receive for these processes: their payloads as JSON. */
  static List<String> messages(List<String> ids, Http http) {
    return ids.stream().map(id -> http.get("/api/v1/processes/" + id).json().path("payload").toString()).toList();
  }

  static void awaitStatus(Http http, List<String> ids, String status) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      for (String id : ids) {
        assertThat(http.get("/api/v1/processes/" + id).json().path("status").asText()).as(id).isEqualTo(status);
      }
    });
  }
}
