package dev.ridley.server.http;

import dev.ridley.server.auth.AccessRules;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes on Javalin and remembers them, so the served API can be checked against the
 * OpenAPI document and listed. Each route carries the access rule {@link AccessRules} gives it.
 */
public final class RouteTable {

  /** A served route: HTTP method and Javalin path, e.g. {@code GET /api/v1/processes/{id}}. */
  public record Entry(String method, String path) {}

  private final JavalinConfig config;
  private final List<Entry> entries;

  RouteTable(JavalinConfig config, List<Entry> entries) {
    this.config = config;
    this.entries = entries;
  }

  public RouteTable get(String path, Handler handler) {
    entries.add(new Entry("GET", path));
    config.routes.get(path, handler, AccessRules.of("GET", path));
    return this;
  }

  public RouteTable post(String path, Handler handler) {
    entries.add(new Entry("POST", path));
    config.routes.post(path, handler, AccessRules.of("POST", path));
    return this;
  }

  public JavalinConfig config() {
    return config;
  }

  static List<Entry> newList() {
    return new ArrayList<>();
  }
}
