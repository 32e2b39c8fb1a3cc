package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a worker's stages reach it through the broker: workers subscribe to stages by name,
 * across pipelines, and each pipeline says per stage whether it is {@code amqp} (queue {@code
 * ridley.tasks.<pipeline>.<stage>}) or {@code http} (polled).
 *
 * @param queues the task queues to consume
 * @param polled the stage names some pipeline serves over HTTP
 */
record BrokeredStages(List<String> queues, List<String> polled) {

  /** Asks the server for its pipelines. */
  static BrokeredStages ask(Transport transport, Set<String> handled) throws IOException, InterruptedException {
    Response r = transport.get("/api/v1/pipelines");
    if (!r.isSuccess()) throw new IOException("the server answered " + r.describe());
    return of(r.body(), handled);
  }

  static BrokeredStages of(JsonNode pipelines, Set<String> handled) {
    List<String> queues = new ArrayList<>();
    Set<String> polled = new LinkedHashSet<>();
    for (JsonNode p : pipelines.path("items")) {
      for (JsonNode s : p.path("stages")) {
        String stage = s.path("name").asText();
        if (!handled.contains(stage)) continue;
        if ("amqp".equals(s.path("transport").asText("http"))) {
          queues.add("ridley.tasks." + p.path("name").asText() + "." + stage);
        } else {
          polled.add(stage);
        }
      }
    }
    return new BrokeredStages(List.copyOf(queues), List.copyOf(polled));
  }
}
