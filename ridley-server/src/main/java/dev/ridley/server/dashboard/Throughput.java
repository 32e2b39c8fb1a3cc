package dev.ridley.server.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.Engine;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.MinuteCounts;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.server.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code GET /api/v1/throughput}: attempts finished per minute and pipeline, split by how they
 * ended, for the overview's charts. Every dashboard polls it, so one answer is shared for {@link
 * #FRESH_FOR} rather than scanning the task table once per open browser tab.
 */
final class Throughput {

  static final String PATH = "/api/v1/throughput";
  static final int DEFAULT_MINUTES = 15;
  static final int MAX_MINUTES = 180;
  static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private record Cached(Instant at, String json) {}

  private final Engine engine;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Cached> cache = new HashMap<>(); // guarded by lock

  Throughput(Engine engine) {
    this.engine = engine;
  }

  void handle(Context ctx) {
    int minutes = minutes(ctx.queryParam("minutes"));
    String only = ctx.queryParam("pipeline");
    List<Pipeline> pipelines = new ArrayList<>();
    if (only != null && !only.isBlank()) {
      pipelines.add(engine.pipeline(only.trim())); // 404 for an unknown name
    } else {
      pipelines.addAll(engine.pipelines());
    }
    String key = minutes + "|" + (only == null ? "" : only.trim());
    Instant now = engine.clock().instant();
    String json;
    // One query at a time: callers that arrive meanwhile get its answer instead of their own.
    // A lock rather than synchronized, which pins a virtual thread to its carrier on Java 21.
    lock.lock();
    try {
      Cached c = cache.get(key);
      if (c != null && Duration.between(c.at(), now).compareTo(FRESH_FOR) < 0) {
        json = c.json();
      } else {
        json = Json.write(compute(pipelines, minutes, now));
        cache.put(key, new Cached(now, json));
      }
    } finally {
      lock.unlock();
    }
    ctx.status(200).contentType("application/json").result(json);
  }

  private ObjectNode compute(List<Pipeline> pipelines, int minutes, Instant now) {
    Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Instant from = to.minus(Duration.ofMinutes(minutes));
    Map<String, Map<Instant, MinuteCounts>> counts = new HashMap<>();
    for (MinuteCounts m : engine.operations().throughput(from, to)) {
      counts.computeIfAbsent(m.pipeline(), k -> new HashMap<>()).put(m.minute(), m);
    }
    ObjectNode out = Json.object();
    out.put("bucketSeconds", 60);
    out.put("from", from.toString());
    out.put("to", to.toString());
    ArrayNode items = out.putArray("pipelines");
    for (Pipeline p : pipelines) {
      ObjectNode po = items.addObject();
      po.put("name", p.name());
      ArrayNode buckets = po.putArray("buckets");
      Map<Instant, MinuteCounts> byMinute = counts.getOrDefault(p.name(), Map.of());
      for (Instant at = from; at.isBefore(to); at = at.plus(Duration.ofMinutes(1))) {
        MinuteCounts n = byMinute.getOrDefault(at, new MinuteCounts(p.name(), at, 0, 0, 0));
        buckets
            .addObject()
            .put("at", at.toString())
            .put("succeeded", n.succeeded())
            .put("failed", n.failed())
            .put("timedOut", n.timedOut());
      }
    }
    return out;
  }

  private static int minutes(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_MINUTES;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_MINUTES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException(
        "'minutes="
            + raw
            + "' must be a whole number from 1 to "
            + MAX_MINUTES
            + ", e.g. minutes=15");
  }
}
