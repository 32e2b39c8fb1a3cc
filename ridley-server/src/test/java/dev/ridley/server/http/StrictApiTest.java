package dev.ridley.server.http;

import static dev.ridley.server.http.ErrorsApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import dev.ridley.server.contract.Contract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A strict, exact API: what is not defined is refused, limits hold at the edge, every error is problem+json. */
class StrictApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  static final String START = "/api/v1/pipelines/divide/processes";

  Http http() {
    return server.http();
  }

  Http.Answer postBytes(String path, byte[] body) {
    return http().send(HttpRequest.newBuilder(server.uri().resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  HttpResponse<byte[]> raw(HttpRequest r) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends bytes as they are over a socket, for requests an HTTP client would not send. */
  String socket(String request) throws IOException {
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
      } catch (java.net.SocketTimeoutException | java.net.SocketException done) {
        // the answer is what arrived
      }
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  String start(String body) {
    Http.Answer a = http().post(START, body);
    assertThat(a.status()).as(a.text()).isIn(200, 201);
    return a.json().path("process").path("id").asText();
  }

  // 1. Unknown is refused

  @Test
  void an_unknown_body_key_is_400_naming_it_with_a_did_you_mean() {
    assertProblem(http().post(START, "{\"customID\":\"k-1\",\"payload\":{}}"), 400, "'customID'");
    assertProblem(http().post(START, "{\"customID\":\"k-1\",\"payload\":{}}"), 400, "did you mean 'customId'");
    assertProblem(http().post("/api/v1/tasks/poll", "{\"worker\":\"w\",\"stages\":[\"divide\"],\"wait\":10}"), 400, "'wait'");
    assertProblem(http().post("/api/v1/tasks/" + UUID.randomUUID() + "/fail",
        "{\"error\":{\"type\":\"X\",\"msg\":\"m\"}}"), 400, "'msg'");
    assertProblem(http().post("/api/v1/pipelines/divide/pause", "{\"stgae\":\"divide\"}"), 400, "did you mean 'stage'");
    assertThat(http().get("/api/v1/processes?customId=k-1").json().path("items")).isEmpty();
  }

  @Test
  void an_unknown_query_parameter_is_400_naming_it_with_a_did_you_mean() {
    Http.Answer a = http().get("/api/v1/processes?customid=k-7");
    assertProblem(a, 400, "'customid'");
    assertThat(a.json().path("detail").asText()).contains("did you mean 'customId'");
    assertProblem(http().get("/api/v1/processes/" + UUID.randomUUID() + "?verbose=1"), 400, "'verbose'");
    assertProblem(http().get("/api/v1/processes?status=FAILED&status=LOST"), 400, "'status'");
  }

  @Test
  void a_bulk_replay_of_everything_must_say_all_and_its_filter_keys_are_checked() {
    assertProblem(http().post("/api/v1/processes/replay", "{\"filter\":{}}"), 400, "\"all\": true");
    Http.Answer all = http().post("/api/v1/processes/replay", "{\"filter\":{},\"all\":true}");
    assertThat(all.status()).as(all.text()).isEqualTo(200);
    Http.Answer typo = http().post("/api/v1/processes/replay", "{\"filter\":{\"pipelin\":\"x\"}}");
    assertProblem(typo, 400, "'pipelin'");
    assertThat(typo.json().path("detail").asText()).contains("did you mean 'pipeline'");
    assertProblem(http().post("/api/v1/processes/replay", "{\"filter\":{\"pipeline\":\"nope\"}}"), 404, "nope");
  }

  // 2. Limits at the edge

  @Test
  void nesting_deeper_than_64_is_400_even_very_deep() {
    assertProblem(http().post(START, "{\"payload\":" + "[".repeat(64) + "]".repeat(64) + "}"), 400, "nesting");
    assertProblem(http().post(START, "{\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400, "nesting");
    assertThat(http().post(START, "{\"payload\":" + "[".repeat(63) + "]".repeat(63) + "}").status()).isEqualTo(201);
  }

  @Test
  void long_numbers_non_finite_numbers_and_duplicate_keys_are_400() {
    assertProblem(http().post(START, "{\"payload\":{\"n\":" + "9".repeat(101) + "}}"), 400, "number");
    assertProblem(http().post(START, "{\"payload\":{\"n\":1e400}}"), 400, "/payload/n");
    assertProblem(http().post(START, "{\"payload\":{\"a\":1,\"a\":2}}"), 400, "duplicate");
  }

  @Test
  void invalid_utf8_lone_surrogates_and_nul_are_400() {
    byte[] bad = "{\"payload\":\"a?b\"}".getBytes(StandardCharsets.UTF_8);
    bad[13] = (byte) 0xFF;
    assertProblem(postBytes(START, bad), 400, "");
    byte[] overlong = "{\"payload\":\"a??b\"}".getBytes(StandardCharsets.UTF_8);
    overlong[13] = (byte) 0xC0;
    overlong[14] = (byte) 0x80;
    assertProblem(postBytes(START, overlong), 400, "");
    assertProblem(http().post(START, "{\"payload\":\"a\\ud800b\"}"), 400, "surrogate");
    assertProblem(http().post(START, "{\"payload\":{\"k\":\"a\\u0000b\"}}"), 400, "U+0000");
    assertProblem(http().post(START, "{\"payload\":{\"\\u0000\":1}}"), 400, "U+0000");
  }

  @Test
  void ids_are_bounded_and_printable() {
    assertProblem(http().post(START, "{\"customId\":\"" + "k".repeat(201) + "\",\"payload\":{}}"), 400, "customId");
    assertProblem(http().post(START, "{\"user\":\"a\\u0001b\",\"payload\":{}}"), 400, "control character");
    assertProblem(http().post("/api/v1/tasks/poll", "{\"worker\":\"" + "w".repeat(201) + "\",\"stages\":[\"divide\"]}"), 400, "worker");
    assertProblem(http().get("/api/v1/processes?user=%00"), 400, "user");
    assertThat(http().post(START, "{\"customId\":\"" + "k".repeat(200) + "\",\"payload\":{}}").status()).isEqualTo(201);
  }

  @Test
  void instants_and_durations_out_of_range_are_400_naming_the_parameter() {
    assertProblem(http().get("/api/v1/processes?seenBefore=%2B294277-01-01T00:00:00Z"), 400, "seenBefore");
    assertProblem(http().get("/api/v1/processes?seenBefore=PT99999999999999H"), 400, "seenBefore");
    assertProblem(http().get("/api/v1/processes?createdAfter=tomorrow"), 400, "createdAfter");
    assertProblem(http().post("/api/v1/processes/replay", "{\"filter\":{\"createdBefore\":\"+294277-01-01T00:00:00Z\"}}"), 400, "createdBefore");
  }

  @Test
  void actions_are_bounded_in_number_and_task_levels() {
    String id = start("{\"payload\":{\"x\":1,\"y\":2}}");
    String task = http().claimTaskOf(id, "divide").path("id").asText();
    String path = "/api/v1/tasks/" + task + "/complete";
    assertProblem(http().post(path, "{\"output\":1,\"actions\":[{\"task_level\":[2147483647]}]}"), 400, "task_level");
    assertProblem(http().post(path, "{\"output\":1,\"actions\":[{\"task_level\":[" + "1,".repeat(64) + "1]}]}"), 400, "task_level");
    assertProblem(http().post(path, "{\"output\":1,\"actions\":[" + "{},".repeat(10_000) + "{}]}"), 400, "10000");
    assertProblem(http().post(path, "{\"output\":1,\"actions\":[1]}"), 400, "actions[0]");
    Http.Answer ok = http().post(path, "{\"output\":1,\"actions\":[{\"task_level\":[10000],\"message_type\":\"m\"}]}");
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(http().get("/api/v1/processes/" + id + "/tree").status()).isEqualTo(200);
  }

  // 3. Values checked the same way everywhere

  @Test
  void enum_values_match_exactly_and_list_the_allowed_ones() {
    assertProblem(http().get("/api/v1/processes?status=running"), 400, "RUNNING");
    assertProblem(http().get("/api/v1/processes?status=DONE"), 400, "SUCCEEDED");
    assertProblem(http().get("/api/v1/processes?lostReason=nope"), 400, "lostReason");
    assertThat(http().get("/api/v1/processes?status=RUNNING").status()).isEqualTo(200);
  }

  @Test
  void an_unknown_pipeline_is_404_and_an_unknown_stage_400_everywhere() {
    assertProblem(http().get("/api/v1/processes?pipeline=nope"), 404, "nope");
    assertProblem(http().get("/api/v1/pipelines/nope/stages/divide/next"), 404, "nope");
    assertProblem(http().get("/api/v1/processes?pipeline=divide&stage=dvide"), 400, "did you mean 'divide'");
    assertProblem(http().get("/api/v1/processes?stage=nowhere"), 400, "nowhere");
    assertProblem(http().get("/api/v1/processes?cursor=abc"), 400, "cursor");
    assertProblem(http().get("/api/v1/processes?limit=5000"), 400, "limit");
    assertProblem(http().post(START + "?waitMs=soon", "{\"payload\":{}}"), 400, "waitMs");
  }

  // 4. Reports mean what they say

  @Test
  void an_error_without_the_failed_outcome_is_400() {
    String id = start("{\"payload\":{\"x\":1,\"y\":2}}");
    String task = http().claimTaskOf(id, "divide").path("id").asText();
    assertProblem(http().post("/api/v1/tasks/" + task + "/complete",
        "{\"outcome\":\"ok\",\"output\":1,\"error\":{\"type\":\"X\"}}"), 400, "'failed'");
    assertProblem(http().post("/api/v1/tasks/" + task + "/complete", "{\"error\":{\"type\":\"X\"}}"), 400, "'failed'");
    assertThat(http().get("/api/v1/processes/" + id).json().path("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void a_batch_answers_each_item_on_its_own() {
    String a = start("{\"payload\":{\"x\":1,\"y\":2}}");
    String b = start("{\"payload\":{\"x\":3,\"y\":4}}");
    String ta = http().claimTaskOf(a, "divide").path("id").asText();
    String tb = http().claimTaskOf(b, "divide").path("id").asText();
    Http.Answer r = http().post("/api/v1/tasks/complete", "{\"results\":["
        + "{\"id\":\"" + ta + "\",\"outcome\":\"ok\",\"output\":0.5,\"error\":{\"type\":\"X\"}},"
        + "{\"id\":\"not-an-id\"},"
        + "{\"id\":\"" + tb + "\",\"outcom\":\"ok\"},"
        + "{\"id\":\"" + tb + "\",\"output\":0.75},"
        + "{\"id\":\"" + tb + "\",\"output\":0.75},"
        + "{\"id\":\"" + tb + "\",\"output\":0.8}"
        + "]}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode items = r.json().path("results");
    assertThat(items).hasSize(6);
    assertThat(items.get(0).path("status").asInt()).isEqualTo(400);
    assertThat(items.get(0).path("detail").asText()).contains("'failed'");
    assertThat(items.get(1).path("status").asInt()).isEqualTo(400);
    assertThat(items.get(2).path("status").asInt()).isEqualTo(400);
    assertThat(items.get(2).path("detail").asText()).contains("did you mean 'outcome'");
    assertThat(items.get(3).path("status").asInt()).isEqualTo(200);
    assertThat(items.get(4).path("status").asInt()).isEqualTo(200);
    assertThat(items.get(5).path("status").asInt()).isEqualTo(409);
    // The refused item changed nothing.
    assertThat(http().get("/api/v1/processes/" + a).json().path("status").asText()).isEqualTo("RUNNING");
    assertThat(http().get("/api/v1/processes/" + a).json().path("output").isNull()).isTrue();
  }

  // 5. Every error is problem+json, in UTF-8

  @Test
  void problems_are_utf8_problem_json() throws Exception {
    HttpResponse<byte[]> r = raw(HttpRequest.newBuilder(server.uri().resolve("/api/v1/pipelines/%C3%A9t%C3%A9")).GET().build());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/problem+json; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("été");
  }

  @Test
  void unknown_routes_wrong_methods_media_types_and_accept_are_problems() throws Exception {
    assertProblem(http().get("/api/v1/nothing-here"), 404, "no such route");
    HttpResponse<byte[]> del = raw(HttpRequest.newBuilder(server.uri().resolve("/api/v1/processes/" + UUID.randomUUID()))
        .DELETE().build());
    assertThat(del.statusCode()).isEqualTo(405);
    assertThat(del.headers().firstValue("Allow").orElse("")).contains("GET");
    assertThat(del.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve(START)).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":{}}")).build()), 415, "application/json");
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/pipelines")).header("Accept", "text/html")
        .GET().build()), 406, "application/json");
    // No Content-Type is what a cross-site fetch can send without asking: refused like text/plain.
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve(START))
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":{}}")).build()), 415, "application/json");
  }

  @Test
  void content_types_and_accept_headers_of_separators_only_are_problems_not_errors() {
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve(START)).header("Content-Type", ";;;")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":{}}")).build()), 415, "application/json");
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/pipelines")).header("Accept", ";")
        .GET().build()), 406, "application/json");
    String id = start("{\"payload\":{\"x\":1,\"y\":2}}");
    assertProblem(http().send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/processes/" + id + "/tree"))
        .header("Accept", ";;").GET().build()), 406, "text/plain");
  }

  @Test
  void a_batch_item_without_a_well_formed_id_is_answered_with_a_null_id_as_documented() {
    String path = "/api/v1/tasks/complete";
    Http.Answer r = http().post(path, "{\"results\":[{\"id\":\"not-an-id\"},{\"id\":[]},\"\",{\"outcome\":\"ok\"}]}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    for (JsonNode item : r.json().path("results")) {
      assertThat(item.path("status").asInt()).isEqualTo(400);
      assertThat(item.path("id").isNull()).as(item.toString()).isTrue();
    }
    assertThat(Contract.get().violations("POST", path, r.status(), r.contentType(), r.text())).isEmpty();
  }

  @Test
  void jettys_own_errors_are_problem_json() throws Exception {
    String bad = socket("GET /api/v1/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(bad).startsWith("HTTP/1.1 400").containsIgnoringCase("application/problem+json").contains("\"status\":400");
    String longUri = socket("GET /api/v1/processes?user=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(longUri).startsWith("HTTP/1.1 414").containsIgnoringCase("application/problem+json").contains("\"status\":414");
  }

  // 7. Idempotency covers the whole request

  @Test
  void the_same_custom_id_and_payload_with_another_user_is_a_conflict() {
    assertThat(http().post(START, "{\"customId\":\"idem-1\",\"user\":\"ann\",\"payload\":{\"x\":1}}").status()).isEqualTo(201);
    assertThat(http().post(START, "{\"customId\":\"idem-1\",\"user\":\"ann\",\"payload\":{\"x\":1}}").status()).isEqualTo(200);
    Http.Answer other = http().post(START, "{\"customId\":\"idem-1\",\"user\":\"bob\",\"payload\":{\"x\":1}}");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().path("result").asText()).isEqualTo("CONFLICT");
    assertThat(other.json().path("process").path("user").asText()).isEqualTo("ann");
    assertThat(http().post(START, "{\"customId\":\"idem-1\",\"payload\":{\"x\":1}}").status()).isEqualTo(409);
  }

  @Test
  void a_null_payload_and_an_empty_custom_id_are_400() {
    assertProblem(http().post(START, "{\"payload\":null}"), 400, "payload");
    assertProblem(http().post(START, "{\"customId\":\"\",\"payload\":{}}"), 400, "customId");
  }

  // 10. Timestamps

  @Test
  void timestamps_are_the_same_in_write_and_read_answers_to_the_microsecond() {
    JsonNode written = http().post(START, "{\"payload\":{\"x\":1,\"y\":2}}").json().path("process");
    JsonNode read = http().get("/api/v1/processes/" + written.path("id").asText()).json();
    assertThat(written.path("createdAt").asText()).isEqualTo(read.path("createdAt").asText());
    assertThat(written.path("deadlineAt").asText()).isEqualTo(read.path("deadlineAt").asText());
    assertThat(written.path("lastSeen").path("at").asText()).isEqualTo(read.path("lastSeen").path("at").asText());
    assertThat(written.path("createdAt").asText()).matches(".*T\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z");
  }
}
