package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.server.RunningServer;
import dev.ridley.server.http.RouteTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route the server serves, called over real HTTP by every kind of caller: nobody, an
 * unknown key, and a key of each role. The answer is 401, 403, 404 or "let in" exactly as the
 * access table says.
 */
class EveryRoleOnEveryRouteTest {

  @RegisterExtension static final RunningServer server = new RunningServer(Keys::config);

  static AuthedHttp http;
  static String shopProcess;

  record Caller(String name, String key, Set<Role> roles) {}

  static final List<Caller> CALLERS = List.of(
      new Caller("client", Keys.SHOP, EnumSet.of(Role.CLIENT)),
      new Caller("worker", Keys.DIVIDE_WORKERS, EnumSet.of(Role.WORKER)),
      new Caller("operator", Keys.OPS, EnumSet.of(Role.OPERATOR)),
      new Caller("admin", Keys.ADMIN, EnumSet.of(Role.ADMIN)),
      new Caller("metrics", Keys.SCRAPER, EnumSet.of(Role.METRICS)));

  @BeforeAll
  static void processOfShop() {
    http = new AuthedHttp(server.uri());
    shopProcess = http.start(Keys.SHOP, "{\"payload\": {\"x\": 1, \"y\": 2}}");
  }

  @Test
  void every_served_route_has_a_rule_in_the_access_table() {
    assertThat(server.server().routes())
        .allSatisfy(r -> assertThat(AccessRules.listed(r.method(), r.path())).as(r.toString()).isTrue());
  }

  @Test
  void without_credentials_or_with_an_unknown_key_only_open_routes_answer_and_the_rest_is_401_with_www_authenticate() {
    for (RouteTable.Entry r : server.server().routes()) {
      Access access = AccessRules.of(r.method(), r.path());
      for (String key : Stream.of((String) null, "not-a-key", "a.b.c").toList()) {
        AuthedHttp.Answer a = call(r, key, shopProcess);
        if (access.open()) {
          assertThat(a.status()).as(r + " with " + key).isNotIn(401, 403);
        } else {
          assertThat(a.status()).as(r + " with " + key).isEqualTo(401);
          assertThat(a.header("WWW-Authenticate")).as(r.toString()).startsWith("Bearer");
          assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        }
      }
    }
  }

  @Test
  void each_role_is_let_in_where_the_table_allows_it_and_answered_403_naming_the_role_elsewhere() {
    List<String> checked = new ArrayList<>();
    for (RouteTable.Entry r : server.server().routes()) {
      Access access = AccessRules.of(r.method(), r.path());
      for (Caller c : CALLERS) {
        Principal p = Principal.of(c.name(), c.roles());
        AuthedHttp.Answer a = call(r, c.key(), shopProcess);
        if (access.allows(p)) {
          assertThat(a.status()).as(r + " as " + c.name() + ": " + a.response().body()).isNotIn(401, 403);
        } else {
          assertThat(a.status()).as(r + " as " + c.name()).isEqualTo(403);
          assertThat(a.detail()).as(r + " as " + c.name()).contains(r.method() + " " + r.path() + " needs the role")
              .contains("admin");
        }
        checked.add(r + " " + c.name());
      }
    }
    assertThat(checked).hasSizeGreaterThan(100);
  }

  @Test
  void a_client_asking_for_another_clients_process_is_answered_404_on_every_process_route() {
    for (RouteTable.Entry r : server.server().routes()) {
      if (!r.path().startsWith("/api/v1/processes/{id}") || !r.method().equals("GET")) continue;
      AuthedHttp.Answer mine = call(r, Keys.SHOP, shopProcess);
      AuthedHttp.Answer theirs = call(r, Keys.OTHER_SHOP, shopProcess);
      AuthedHttp.Answer none = call(r, Keys.OTHER_SHOP, UUID.randomUUID().toString());
      assertThat(mine.status()).as(r.toString()).isEqualTo(200);
      assertThat(theirs.status()).as(r.toString()).isEqualTo(404);
      assertThat(theirs.detail().replace(shopProcess, "ID")).as("the same as for a process that does not exist")
          .isEqualTo(none.detail().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID"));
    }
  }

  private static final Map<String, String> BODIES = Map.of(
      "/api/v1/tasks/poll", "{\"worker\": \"w\", \"stages\": [\"divide\"], \"max\": 1, \"waitMs\": 0}");

  static AuthedHttp.Answer call(RouteTable.Entry r, String key, String processId) {
    String path = r.path()
        .replace("{pipeline}", "divide")
        .replace("{stage}", "divide")
        .replace("{file}", "ridley.css")
        .replace("{id}", r.path().startsWith("/api/v1/tasks") ? UUID.randomUUID().toString() : processId)
        .replace("{name}", r.path().endsWith("/pause") || r.path().endsWith("/resume") ? "failover" : "divide");
    if (r.method().equals("GET")) return http.get(key, path);
    return http.post(key, path, BODIES.getOrDefault(r.path(), "{}"));
  }
}
