package dev.ridley.server.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds}: every answered request, by {@code method}, {@code uri},
 * {@code status} and {@code outcome}. The {@code uri} is the route's template ({@code
 * /api/v1/processes/{id}}), never the raw path, so the number of series stays bounded: a path no
 * route matches is {@code NOT_FOUND} (404) or {@code UNKNOWN}.
 */
final class RequestMetrics {

  static final String NAME = "http.server.requests";

  /** Buckets to alert on API latency with, few enough that each route and status costs little. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)
  };

  private record Key(String method, String uri, int status) {}

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one answered request; Javalin calls it once per request, after the answer is set. */
  void record(Context ctx, float millis) {
    int status = ctx.statusCode();
    Key key = new Key(ctx.method().name(), uri(ctx, status), status);
    timers.computeIfAbsent(key, k -> Timer.builder(NAME)
            .description("HTTP requests answered by this node, by route template")
            .tags("method", k.method(), "uri", k.uri(), "status", Integer.toString(k.status()),
                "outcome", Outcome.forStatus(k.status()).name())
            .serviceLevelObjectives(BUCKETS)
            .register(registry))
        .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  private static String uri(Context ctx, int status) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null) return matched.path;
    return status == 404 ? "NOT_FOUND" : "UNKNOWN";
  }
}
