package dev.ridley.server.http;

import static dev.ridley.server.http.ErrorsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/v1/pipelines/{pipeline}/processes/batch: many starts in one transaction, each answered as alone. */
class BatchStartApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  static final String BATCH = "/api/v1/pipelines/divide/processes/batch";

  Http http() {
    return server.http();
  }

  @Test
  void a_batch_starts_every_item_and_answers_each_in_order_with_201_and_its_process() {
    StringBuilder body = new StringBuilder("{\"processes\":[");
    for (int i = 0; i < 1000; i++) {
      if (i > 0) body.append(',');
      body.append("{\"customId\":\"many-").append(i).append("\",\"payload\":{\"x\":").append(i).append(",\"y\":1}}");
    }
    Http.Answer a = http().post(BATCH, body.append("]}").toString());

    assertThat(a.status()).isEqualTo(200);
    JsonNode results = a.json().path("results");
    assertThat(results).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      JsonNode r = results.get(i);
      assertThat(r.path("status").asInt()).isEqualTo(201);
      assertThat(r.path("result").asText()).isEqualTo("CREATED");
      assertThat(r.path("process").path("customId").asText()).isEqualTo("many-" + i);
      assertThat(r.path("process").path("status").asText()).isEqualTo("RUNNING");
    }
    String id = results.get(500).path("process").path("id").asText();
    assertThat(http().get("/api/v1/processes/" + id).json().path("payload").path("x").asInt()).isEqualTo(500);
  }

  @Test
  void each_item_answers_as_its_single_start_would_and_a_bad_item_is_its_own_400() {
    http().post("/api/v1/pipelines/divide/processes", "{\"customId\":\"known\",\"payload\":{\"a\":1,\"b\":2}}");

    Http.Answer a = http().post(BATCH, "{\"processes\":["
        + "{\"customId\":\"known\",\"payload\":{\"b\":2,\"a\":1}},"
        + "{\"customId\":\"known\",\"payload\":{\"a\":3}},"
        + "{\"customID\":\"typo\",\"payload\":{}},"
        + "{\"customId\":\"\",\"payload\":{}},"
        + "{\"customId\":\"no-payload\"},"
        + "7,"
        + "{\"customId\":\"new-one\",\"payload\":{}},"
        + "{\"customId\":\"new-one\",\"payload\":{}},"
        + "{\"customId\":\"new-one\",\"user\":\"eve\",\"payload\":{}}]}");

    JsonNode r = a.json().path("results");
    assertThat(r).extracting(item -> item.path("status").asInt()).containsExactly(200, 409, 400, 400, 400, 400, 201, 200, 409);
    assertThat(r.get(0).path("result").asText()).isEqualTo("ALREADY_EXISTS");
    assertThat(r.get(1).path("result").asText()).isEqualTo("CONFLICT");
    assertThat(r.get(1).path("detail").asText()).contains("customId 'known'");
    assertThat(r.get(2).path("detail").asText()).contains("did you mean 'customId'");
    assertThat(r.get(4).path("detail").asText()).contains("payload");
    assertThat(r.get(5).path("detail").asText()).contains("processes[5]");
    assertThat(r.get(7).path("process").path("id")).isEqualTo(r.get(6).path("process").path("id"));
    assertThat(http().get("/api/v1/processes?customId=typo").json().path("items")).isEmpty();
    assertThat(http().get("/api/v1/processes?customId=new-one").json().path("items")).hasSize(1);
  }

  @Test
  void a_body_that_is_not_a_batch_of_1_to_1000_starts_is_refused_whole_and_starts_nothing() throws Exception {
    long before = processes();
    assertProblem(http().post(BATCH, "{\"processes\":[]}"), 400, "1 to 1000");
    assertProblem(http().post(BATCH, "{\"processes\":{}}"), 400, "'processes'");
    assertProblem(http().post(BATCH, "{\"proceses\":[{\"payload\":{}}]}"), 400, "did you mean 'processes'");
    assertProblem(http().post(BATCH + "?waitMs=10", "{\"processes\":[{\"payload\":{}}]}"), 400, "waitMs");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) many.add("{\"payload\":{}}");
    assertProblem(http().post(BATCH, "{\"processes\":[" + String.join(",", many) + "]}"), 400, "at most 1000");
    assertProblem(http().post("/api/v1/pipelines/dvide/processes/batch", "{\"processes\":[{\"payload\":{}}]}"), 404,
        "no pipeline 'dvide'");
    assertThat(processes()).isEqualTo(before);
  }

  private long processes() throws Exception {
    try (Connection c = server.server().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from process")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
