package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProcessApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  @Test
  void a_start_answers_201_created_with_the_whole_process() {
    Http.Answer a = server.http().post("/api/v1/pipelines/divide/processes",
        "{\"customId\":\"c-1\",\"user\":\"alice\",\"payload\":{\"x\":1,\"y\":2}}");
    assertThat(a.status()).isEqualTo(201);
    JsonNode body = a.json();
    assertThat(body.path("result").asText()).isEqualTo("CREATED");
    JsonNode p = body.path("process");
    for (String field : new String[] {"id", "pipeline", "customId", "user", "status", "payload",
        "lastSeen", "createdAt", "finishedAt", "output", "error"}) {
      assertThat(p.has(field)).as("process has field %s", field).isTrue();
    }
    assertThat(p.path("pipeline").asText()).isEqualTo("divide");
    assertThat(p.path("customId").asText()).isEqualTo("c-1");
    assertThat(p.path("user").asText()).isEqualTo("alice");
    assertThat(p.path("status").asText()).isEqualTo("RUNNING");
    assertThat(p.path("payload").path("y").asInt()).isEqualTo(2);
    assertThat(p.path("lastSeen").path("stage").asText()).isEqualTo("divide");
    assertThat(p.path("lastSeen").path("at").asText()).isNotBlank();
  }

  @Test
  void the_same_custom_id_and_payload_again_answers_200_already_exists_with_the_existing_process() {
    String req = "{\"customId\":\"c-2\",\"payload\":{\"x\":1,\"y\":2}}";
    JsonNode first = server.http().post("/api/v1/pipelines/divide/processes", req).json();
    Http.Answer again = server.http().post("/api/v1/pipelines/divide/processes", req);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("result").asText()).isEqualTo("ALREADY_EXISTS");
    assertThat(again.json().path("process").path("id")).isEqualTo(first.path("process").path("id"));
  }

  @Test
  void the_same_custom_id_with_another_payload_answers_409_conflict_with_the_existing_process() {
    JsonNode first = server.http().post("/api/v1/pipelines/divide/processes",
        "{\"customId\":\"c-3\",\"payload\":{\"x\":1,\"y\":2}}").json();
    Http.Answer other = server.http().post("/api/v1/pipelines/divide/processes",
        "{\"customId\":\"c-3\",\"payload\":{\"x\":9,\"y\":2}}");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().path("result").asText()).isEqualTo("CONFLICT");
    assertThat(other.json().path("process").path("id")).isEqualTo(first.path("process").path("id"));
    assertThat(other.json().path("process").path("payload").path("x").asInt()).isEqualTo(1);
  }

  @Test
  void a_process_is_readable_by_id_with_its_journal_oldest_first() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":4,\"y\":2}}")
        .json().path("process").path("id").asText();
    Http.Answer got = server.http().get("/api/v1/processes/" + id);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("id").asText()).isEqualTo(id);

    JsonNode events = server.http().get("/api/v1/processes/" + id + "/events").json().path("events");
    assertThat(events.get(0).path("type").asText()).isEqualTo("process.started");
    assertThat(events.get(1).path("type").asText()).isEqualTo("task.enqueued");
    assertThat(events.get(0).path("seq").asLong()).isLessThan(events.get(1).path("seq").asLong());
  }

  @Test
  void search_filters_by_user_and_status_and_pages_with_a_cursor() {
    for (int i = 0; i < 5; i++) {
      server.http().post("/api/v1/pipelines/divide/processes", "{\"user\":\"pager\",\"payload\":{\"x\":" + i + ",\"y\":1}}");
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = server.http().get("/api/v1/processes?user=pager&status=RUNNING&pipeline=divide&limit=2"
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.path("items").forEach(p -> {
        assertThat(p.path("user").asText()).isEqualTo("pager");
        seen.add(p.path("id").asText());
      });
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(5);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void search_by_custom_id_finds_exactly_that_process() {
    server.http().post("/api/v1/pipelines/divide/processes", "{\"customId\":\"needle\",\"payload\":{}}");
    JsonNode items = server.http().get("/api/v1/processes?customId=needle").json().path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("customId").asText()).isEqualTo("needle");
  }

  @Test
  void seen_before_lists_only_processes_that_stopped_moving_longer_ago() {
    server.http().post("/api/v1/pipelines/divide/processes", "{\"user\":\"fresh\",\"payload\":{\"x\":1,\"y\":3}}");
    assertThat(server.http().get("/api/v1/processes?user=fresh&seenBefore=PT1H").json().path("items")).isEmpty();
    assertThat(server.http().get("/api/v1/processes?user=fresh&seenBefore=2999-01-01T00:00:00Z").json().path("items")).hasSize(1);
    assertThat(server.http().get("/api/v1/processes?stage=divide&user=fresh").json().path("items")).hasSize(1);
  }

  @Test
  void pipelines_are_listed_with_their_stages_and_counts() {
    JsonNode list = server.http().get("/api/v1/pipelines").json().path("items");
    assertThat(list.findValuesAsText("name")).contains("divide");
    JsonNode divide = server.http().get("/api/v1/pipelines/divide").json();
    assertThat(divide.path("stages").get(0).path("name").asText()).isEqualTo("divide");
    assertThat(divide.path("stages").get(0).path("counts").has("queued")).isTrue();
    assertThat(divide.path("routes").toString()).contains("divide.ok -> ocean");
  }

  @Test
  void health_answers_200_when_the_database_is_usable() {
    Http.Answer a = server.http().get("/health");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("database").asText()).isEqualTo("UP");
    assertThat(a.json().path("durability").asText()).isEqualTo("synchronous");
  }

  @Test
  void metrics_are_served_in_prometheus_format() {
    Http.Answer a = server.http().get("/metrics");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.text()).contains("jvm_memory_used_bytes");
  }
}
