package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.RunningServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With API keys on: a client's processes carry its name as {@code user}, it sees only those
 * (search, get, events, tree, pipelines' counts), may not speak for another user unless its key
 * says {@code onBehalfOf}; operators see and replay everything; the journal names who did what.
 */
class WhoSeesWhatTest {

  @RegisterExtension static final RunningServer server = new RunningServer(Keys::config);

  static AuthedHttp http;

  @BeforeAll
  static void client() {
    http = new AuthedHttp(server.uri());
  }

  @Test
  void a_clients_process_is_its_own_and_its_searches_return_only_its_own() {
    String mine = http.start(Keys.SHOP, "{\"payload\": {\"x\": 1, \"y\": 1}}");
    String alsoMine = http.start(Keys.SHOP, "{\"user\": \"shop\", \"payload\": {\"x\": 2, \"y\": 1}}");
    String theirs = http.start(Keys.OTHER_SHOP, "{\"payload\": {\"x\": 3, \"y\": 1}}");

    assertThat(http.get(Keys.SHOP, "/api/v1/processes/" + mine).json().path("user").asText()).isEqualTo("shop");
    List<String> seen = ids(http.get(Keys.SHOP, "/api/v1/processes?limit=1000").json());
    assertThat(seen).contains(mine, alsoMine).doesNotContain(theirs);
    assertThat(ids(http.get(Keys.SHOP, "/api/v1/processes?user=other-shop").json())).isEmpty();
    assertThat(ids(http.get(Keys.OTHER_SHOP, "/api/v1/processes?pipeline=divide").json()))
        .contains(theirs).doesNotContain(mine, alsoMine);
    assertThat(ids(http.get(Keys.OPS, "/api/v1/processes?limit=1000").json())).contains(mine, alsoMine, theirs);
  }

  @Test
  void paging_a_clients_search_counts_only_its_own_processes() {
    for (int i = 0; i < 3; i++) http.start(Keys.OTHER_SHOP, "{\"payload\": {\"page\": " + i + "}}");
    String first = http.start(Keys.FRONTEND, "{\"payload\": {\"n\": 1}}");
    for (int i = 0; i < 3; i++) http.start(Keys.OTHER_SHOP, "{\"payload\": {\"page\": " + i + "}}");
    String second = http.start(Keys.FRONTEND, "{\"payload\": {\"n\": 2}}");
    JsonNode page1 = http.get(Keys.FRONTEND, "/api/v1/processes?limit=1").json();
    assertThat(ids(page1)).containsExactly(second);
    JsonNode page2 = http.get(Keys.FRONTEND, "/api/v1/processes?limit=1&cursor=" + page1.path("nextCursor").asText()).json();
    assertThat(ids(page2)).containsExactly(first);
  }

  @Test
  void a_client_naming_another_user_is_refused_403_and_nothing_is_started() {
    int before = ids(http.get(Keys.OPS, "/api/v1/processes?user=mallory&limit=1000").json()).size();
    AuthedHttp.Answer a = http.post(Keys.SHOP, "/api/v1/pipelines/divide/processes",
        "{\"user\": \"mallory\", \"payload\": {}}");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.detail()).contains("'shop'").contains("onBehalfOf");
    assertThat(ids(http.get(Keys.OPS, "/api/v1/processes?user=mallory&limit=1000").json())).hasSize(before);
  }

  @Test
  void a_key_with_on_behalf_of_and_an_admin_start_for_a_user_and_the_journal_records_both() {
    String forAlice = http.start(Keys.FRONTEND, "{\"user\": \"alice\", \"payload\": {\"x\": 1}}");
    String byAdmin = http.start(Keys.ADMIN, "{\"user\": \"bob\", \"payload\": {\"x\": 1}}");
    assertThat(http.get(Keys.OPS, "/api/v1/processes/" + forAlice).json().path("user").asText()).isEqualTo("alice");
    JsonNode started = startedEvent(forAlice);
    assertThat(started.path("data").path("user").asText()).isEqualTo("alice");
    assertThat(started.path("data").path("actor").asText()).isEqualTo("frontend");
    assertThat(startedEvent(byAdmin).path("data").path("actor").asText()).isEqualTo("admin");
    // The front end reads back what it started for its users; other clients still do not see it.
    assertThat(http.get(Keys.FRONTEND, "/api/v1/processes/" + forAlice).status()).isEqualTo(200);
    assertThat(http.get(Keys.FRONTEND, "/api/v1/processes/" + forAlice + "/tree").status()).isEqualTo(200);
    assertThat(ids(http.get(Keys.FRONTEND, "/api/v1/processes?user=alice").json())).containsExactly(forAlice);
    assertThat(ids(http.get(Keys.FRONTEND, "/api/v1/processes?limit=1000").json())).contains(forAlice).doesNotContain(byAdmin);
    assertThat(http.get(Keys.SHOP, "/api/v1/processes/" + forAlice).status()).isEqualTo(404);
    assertThat(ids(http.get(Keys.SHOP, "/api/v1/processes?user=alice").json())).isEmpty();
  }

  @Test
  void a_client_gets_404_for_another_clients_process_and_its_journal_and_tree() {
    String theirs = http.start(Keys.OTHER_SHOP, "{\"payload\": {\"x\": 1, \"y\": 1}}");
    for (String suffix : List.of("", "/events", "/tasks", "/tree")) {
      assertThat(http.get(Keys.SHOP, "/api/v1/processes/" + theirs + suffix).status()).as(suffix).isEqualTo(404);
      assertThat(http.get(Keys.OTHER_SHOP, "/api/v1/processes/" + theirs + suffix).status()).as(suffix).isEqualTo(200);
      assertThat(http.get(Keys.OPS, "/api/v1/processes/" + theirs + suffix).status()).as(suffix).isEqualTo(200);
    }
  }

  @Test
  void an_operators_pipeline_counts_cover_everyone_and_a_client_gets_the_definition_without_them() {
    http.start(Keys.OTHER_SHOP, "{\"payload\": {\"x\": 1, \"y\": 1}}");
    JsonNode ops = http.get(Keys.OPS, "/api/v1/pipelines/divide").json();
    assertThat(ops.path("stages").get(0).path("counts").path("queued").asInt()).isPositive();
    JsonNode client = http.get(Keys.SHOP, "/api/v1/pipelines/divide").json();
    assertThat(client.path("name").asText()).isEqualTo("divide");
    assertThat(client.path("stages").get(0).has("counts")).isFalse();
    assertThat(client.path("stages").get(0).path("workers")).isEmpty();
  }

  @Test
  void bulk_replay_is_for_operators_and_covers_every_users_processes_and_the_journal_names_the_operator() {
    String mine = failed(Keys.SHOP);
    String theirs = failed(Keys.OTHER_SHOP);
    String body = "{\"filter\": {\"pipeline\": \"divide\", \"status\": \"FAILED\"}}";
    AuthedHttp.Answer refused = http.post(Keys.SHOP, "/api/v1/processes/replay", body);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.detail()).contains("operator");
    assertThat(http.get(Keys.OPS, "/api/v1/processes/" + mine).json().path("status").asText()).isEqualTo("FAILED");

    AuthedHttp.Answer replayed = http.post(Keys.OPS, "/api/v1/processes/replay", body);
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.json().path("replayed").asInt()).isGreaterThanOrEqualTo(2);
    for (String id : List.of(mine, theirs)) {
      assertThat(http.get(Keys.OPS, "/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("RUNNING");
      assertThat(event(id, "process.replayed").path("data").path("actor").asText()).isEqualTo("ops");
      assertThat(http.get(Keys.OPS, "/api/v1/processes/" + id + "/tree").response().body())
          .contains("\"replayedByPrincipal\":\"ops\"");
    }
  }

  @Test
  void cancel_and_pause_record_the_operator() throws Exception {
    String id = http.start(Keys.SHOP, "{\"payload\": {\"x\": 1, \"y\": 1}}");
    assertThat(http.post(Keys.SHOP, "/api/v1/processes/" + id + "/cancel", "{}").status()).isEqualTo(403);
    assertThat(http.post(Keys.OPS, "/api/v1/processes/" + id + "/cancel", "{}").status()).isEqualTo(200);
    assertThat(event(id, "process.cancelled").path("data").path("actor").asText()).isEqualTo("ops");
    String tree = http.get(Keys.OPS, "/api/v1/processes/" + id + "/tree").response().body();
    assertThat(tree).contains("\"actor\":\"shop\"").contains("\"cancelledBy\":\"ops\"");

    assertThat(http.post(Keys.OPS, "/api/v1/pipelines/orders/pause", "{}").status()).isEqualTo(200);
    try (Connection c = server.server().dataSource().getConnection();
         ResultSet rs = c.createStatement().executeQuery(
             "select distinct changed_by from stage_pause where pipeline = 'orders'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ops");
    }
    assertThat(http.post(Keys.ADMIN, "/api/v1/pipelines/orders/resume", "{}").status()).isEqualTo(200);
  }

  @Test
  void a_worker_may_poll_only_the_stages_its_key_names() {
    AuthedHttp.Answer refused = http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/poll",
        "{\"worker\": \"w1\", \"stages\": [\"divide\", \"errors\"], \"max\": 1, \"waitMs\": 0}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.detail()).contains("may not poll the stage errors;");
    assertThat(http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/poll",
        "{\"worker\": \"w1\", \"stages\": [\"ocean\"], \"max\": 1, \"waitMs\": 0}").status()).isEqualTo(200);
    assertThat(http.post(Keys.SHOP, "/api/v1/tasks/poll",
        "{\"worker\": \"w1\", \"stages\": [\"ocean\"], \"max\": 1, \"waitMs\": 0}").status()).isEqualTo(403);
  }

  @Test
  void a_worker_may_report_only_on_tasks_of_the_stages_its_key_names_singly_or_in_a_batch() {
    String id = http.start(Keys.SHOP, "{\"payload\": {\"x\": 1, \"y\": 0}}");
    String divide = claim(id, "divide");
    assertThat(http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/" + divide + "/heartbeat", "{}").status()).isEqualTo(200);
    assertThat(http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/" + divide + "/fail",
        "{\"error\": {\"type\": \"java.lang.ArithmeticException\"}, \"retryable\": false}").status()).isEqualTo(200);
    String errors = claim(id, "errors");
    for (String path : List.of("/heartbeat", "/complete", "/fail")) {
      String body = path.equals("/fail") ? "{\"error\": {\"type\": \"X\"}}" : "{}";
      AuthedHttp.Answer a = http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/" + errors + path, body);
      assertThat(a.status()).as(path).isEqualTo(403);
      assertThat(a.detail()).contains("stage errors");
    }
    JsonNode batch = http.post(Keys.DIVIDE_WORKERS, "/api/v1/tasks/complete",
        "{\"results\": [{\"id\": \"" + errors + "\", \"outcome\": \"ok\"}]}").json();
    assertThat(batch.path("results").get(0).path("status").asInt()).isEqualTo(403);
    assertThat(http.get(Keys.OPS, "/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("RUNNING");
    assertThat(http.post(Keys.WORKERS, "/api/v1/tasks/" + errors + "/complete", "{}").status()).isEqualTo(200);
    assertThat(http.get(Keys.OPS, "/api/v1/processes/" + id).json().path("status").asText()).isEqualTo("FAILED");
  }

  /** A divide process of {@code key}'s that failed: divide fails for good, errors routes it to @fail. */
  private static String failed(String key) {
    String id = http.start(key, "{\"payload\": {\"x\": 1, \"y\": 0}}");
    String task = claim(id, "divide");
    assertThat(http.post(Keys.ADMIN, "/api/v1/tasks/" + task + "/fail",
        "{\"error\": {\"type\": \"java.lang.ArithmeticException\", \"message\": \"/ by zero\"}, \"retryable\": false}")
        .status()).isEqualTo(200);
    String handler = claim(id, "errors");
    assertThat(http.post(Keys.ADMIN, "/api/v1/tasks/" + handler + "/complete", "{}").status()).isEqualTo(200);
    return id;
  }

  private static String claim(String processId, String stage) {
    for (int i = 0; i < 50; i++) {
      JsonNode tasks = http.post(Keys.ADMIN, "/api/v1/tasks/poll",
          "{\"worker\": \"test\", \"stages\": [\"" + stage + "\"], \"max\": 10, \"waitMs\": 200}").json().path("tasks");
      for (JsonNode t : tasks) {
        if (t.path("processId").asText().equals(processId)) return t.path("id").asText();
      }
    }
    throw new AssertionError("no task of " + processId + " at " + stage);
  }

  @Test
  void a_batch_of_starts_meets_the_user_rule_item_by_item_and_records_who_started_them() {
    AuthedHttp.Answer a = http.post(Keys.SHOP, "/api/v1/pipelines/divide/processes/batch",
        "{\"processes\": [{\"payload\": {\"x\": 1}}, {\"user\": \"mallory\", \"payload\": {\"x\": 2}}]}");
    assertThat(a.status()).isEqualTo(200);
    JsonNode results = a.json().path("results");
    assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
    assertThat(results.get(0).path("process").path("user").asText()).isEqualTo("shop");
    assertThat(results.get(1).path("status").asInt()).isEqualTo(403);
    assertThat(results.get(1).path("detail").asText()).contains("onBehalfOf");
    String started = results.get(0).path("process").path("id").asText();
    assertThat(startedEvent(started).path("data").path("actor").asText()).isEqualTo("shop");
    assertThat(http.get(Keys.OTHER_SHOP, "/api/v1/processes/" + started).status()).isEqualTo(404);

    AuthedHttp.Answer forUsers = http.post(Keys.FRONTEND, "/api/v1/pipelines/divide/processes/batch",
        "{\"processes\": [{\"user\": \"carol\", \"payload\": {\"x\": 1}}, {\"user\": \"dave\", \"payload\": {\"x\": 1}}]}");
    for (JsonNode r : forUsers.json().path("results")) {
      assertThat(r.path("status").asInt()).isEqualTo(201);
      String id = r.path("process").path("id").asText();
      assertThat(startedEvent(id).path("data").path("actor").asText()).isEqualTo("frontend");
      // A front end reads back what it started for its users, in bulk as singly.
      assertThat(http.get(Keys.FRONTEND, "/api/v1/processes/" + id).status()).isEqualTo(200);
    }
  }

  private static JsonNode startedEvent(String id) {
    return event(id, "process.started");
  }

  private static JsonNode event(String id, String type) {
    for (JsonNode e : http.get(Keys.OPS, "/api/v1/processes/" + id + "/events").json().path("events")) {
      if (e.path("type").asText().equals(type)) return e;
    }
    throw new AssertionError("no " + type + " in the journal of " + id);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("items").forEach(p -> ids.add(p.path("id").asText()));
    return ids;
  }
}
