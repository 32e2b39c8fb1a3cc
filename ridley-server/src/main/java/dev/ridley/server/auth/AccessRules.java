package dev.ridley.server.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table of who may call which route, by method and Javalin path. A route that is not in
 * it needs {@code admin}: forgetting a rule refuses callers rather than letting them in. The tests
 * walk this table over real HTTP for every role.
 */
public final class AccessRules {

  private static final Map<String, Access> RULES = new LinkedHashMap<>();

  static {
    rule("GET /health", Access.PUBLIC);
    rule("GET /metrics", Access.METRICS);

    rule("POST /api/v1/pipelines/{pipeline}/processes", Access.START);
    rule("POST /api/v1/pipelines/{pipeline}/processes/batch", Access.START);
    rule("GET /api/v1/processes", Access.READ);
    rule("GET /api/v1/processes/{id}", Access.READ);
    rule("GET /api/v1/processes/{id}/events", Access.READ);
    rule("GET /api/v1/processes/{id}/tasks", Access.READ);
    rule("GET /api/v1/processes/{id}/tree", Access.READ);
    rule("POST /api/v1/processes/replay", Access.OPERATE);
    rule("POST /api/v1/processes/{id}/replay", Access.OPERATE);
    rule("POST /api/v1/processes/{id}/cancel", Access.OPERATE);

    // A client or worker sees the definitions (to start, to read its own processes, to know which
    // stages travel over RabbitMQ), not the counts.
    rule("GET /api/v1/pipelines", Access.DEFINITIONS);
    rule("GET /api/v1/pipelines/{name}", Access.DEFINITIONS);
    rule("POST /api/v1/pipelines/{name}/pause", Access.OPERATE);
    rule("POST /api/v1/pipelines/{name}/resume", Access.OPERATE);
    rule("GET /api/v1/pipelines/{name}/stages/{stage}/next", Access.OBSERVE);
    rule("GET /api/v1/throughput", Access.OBSERVE);

    rule("POST /api/v1/tasks/poll", Access.WORK);
    rule("POST /api/v1/tasks/{id}/heartbeat", Access.WORK);
    rule("POST /api/v1/tasks/{id}/complete", Access.WORK);
    rule("POST /api/v1/tasks/{id}/fail", Access.WORK);
    rule("POST /api/v1/tasks/complete", Access.WORK);

    rule("GET /api/v1/me", Access.SIGNED_IN);
    rule("GET /signin", Access.PUBLIC);
    rule("POST /signin", Access.PUBLIC);
    rule("POST /signout", Access.PUBLIC);
    rule("GET /signin/options", Access.PUBLIC);
    rule("GET /signin/oidc", Access.PUBLIC);
    rule("GET /signin/callback", Access.PUBLIC);

    // The dashboard's pages and files hold no data: they read it from the API, signed in.
    rule("GET /", Access.PUBLIC);
    rule("GET /processes", Access.PUBLIC);
    rule("GET /processes/{id}", Access.PUBLIC);
    rule("GET /assets/{file}", Access.PUBLIC);
    rule("GET /favicon.ico", Access.PUBLIC);
  }

  private AccessRules() {}

  private static void rule(String route, Access access) {
    RULES.put(route, access);
  }

  /** What a route needs; {@link Access#ADMIN} for a route the table does not list. */
  public static Access of(String method, String path) {
    return RULES.getOrDefault(method + " " + path, Access.ADMIN);
  }

  /** Whether the table lists the route. */
  public static boolean listed(String method, String path) {
    return RULES.containsKey(method + " " + path);
  }

  /** The whole table, in order: {@code "GET /api/v1/processes"} to its rule. */
  public static Map<String, Access> all() {
    return Map.copyOf(RULES);
  }
}
