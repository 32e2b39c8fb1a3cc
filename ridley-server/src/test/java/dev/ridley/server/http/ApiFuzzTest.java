package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.server.RunningServer;
import dev.ridley.server.TestServers;
import dev.ridley.server.contract.Contract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes every operation of docs/openapi.yaml (read at test time, so new operations are covered)
 * with mutated requests: wrong types, missing and unknown keys, huge strings, deep nesting,
 * invalid UTF-8, NUL, lone surrogates, odd content types, extreme numbers, duplicate keys,
 * malformed ids and query parameters. No answer may be a 5xx; every 4xx is problem+json with a
 * detail; a refused request writes nothing; every 2xx matches the document; at the end the server
 * is healthy, its heap bounded, and every process a request created can be searched, fetched,
 * polled and drawn as a tree.
 *
 * <p>Reproduce with {@code -Dridley.fuzz.seed=N}; size with {@code -Dridley.fuzz.requests=N}.
 */
class ApiFuzzTest {

  /** Timers off: only requests write, so a refused request's writes can be seen. */
  @RegisterExtension
  static final RunningServer server = new RunningServer(
      () -> TestServers.config().toBuilder().setSweepInterval(Duration.ofHours(1)).build());

  static final long SEED = Long.getLong("ridley.fuzz.seed", 20_261_122L);
  static final int REQUESTS = Integer.getInteger("ridley.fuzz.requests", 5000);
  static final int MIB = 1024 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final List<String> STAGES = List.of("divide", "ocean", "errors");
  static final String RAW = "@@raw@@";
  static final String DUP = "@@dup@@";

  final Random random = new Random(SEED);
  final List<String> processes = new ArrayList<>();
  final Set<String> created = new LinkedHashSet<>();
  final List<String> tasks = new ArrayList<>();
  final Set<String> settled = new HashSet<>();
  final List<String> customIds = new ArrayList<>();
  final List<String> failures = new ArrayList<>();
  final Map<String, Integer> perOperation = new LinkedHashMap<>();
  final Map<Integer, Integer> perStatus = new java.util.TreeMap<>();
  JsonNode spec;

  /** One operation of the document. */
  record Op(String id, String method, String path, List<JsonNode> params, JsonNode body) {}

  /** A request as bytes on the wire. */
  static final class Req {
    String method;
    String target;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    final List<String> mutations = new ArrayList<>();

    String show() {
      String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      String t = target.length() > 300 ? target.substring(0, 300) + "...(" + target.length() + " chars)" : target;
      if (b.length() > 300) b = b.substring(0, 300) + "...(" + body.length + " bytes)";
      return method + " " + t + " " + headers + " " + b + " mutations=" + mutations;
    }
  }

  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  @Test
  void every_operation_survives_mutated_requests() throws Exception {
    System.out.println("ApiFuzzTest seed=" + SEED + " requests=" + REQUESTS + " (rerun with -Dridley.fuzz.seed=" + SEED + ")");
    spec = Contract.get().spec();
    List<Op> ops = operations();
    assertThat(ops).hasSizeGreaterThanOrEqualTo(20);
    freshFixture();
    long heapBefore = usedHeapAfterGc();
    long started = System.nanoTime();
    for (int i = 0; i < REQUESTS; i++) {
      if (i % 100 == 0) freshFixture();
      Op op = ops.get(i % ops.size() == 0 ? random.nextInt(ops.size()) : (i + random.nextInt(3)) % ops.size());
      Req req = request(op);
      long[] before = fingerprint();
      Answer a = send(req);
      perOperation.merge(op.id(), 1, Integer::sum);
      perStatus.merge(a.status(), 1, Integer::sum);
      judge(op, req, a, before);
      if (failures.size() > 20) break;
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    System.out.println("ApiFuzzTest: " + REQUESTS + " requests in " + seconds + " s; by status " + perStatus
        + "; by operation " + perOperation + "; processes created " + created.size());
    assertThat(failures).as("seed " + SEED).isEmpty();
    assertThat(perOperation.keySet()).as("every operation was fuzzed").containsAll(ops.stream().map(Op::id).toList());

    assertThat(get("/health").status()).isEqualTo(200);
    long heapAfter = usedHeapAfterGc();
    System.out.println("ApiFuzzTest: used heap after GC " + heapBefore / MIB + " MiB before, " + heapAfter / MIB + " MiB after");
    assertThat(heapAfter).as("used heap after a GC").isLessThan(heapBefore + 512L * MIB);
    everyCreatedProcessIsUsable();
  }

  // The document's operations

  List<Op> operations() {
    List<Op> out = new ArrayList<>();
    spec.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
      JsonNode op = m.getValue();
      List<JsonNode> params = new ArrayList<>();
      op.path("parameters").forEach(x -> params.add(resolve(x)));
      JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
      out.add(new Op(op.path("operationId").asText(), m.getKey().toUpperCase(Locale.ROOT), p.getKey(), params,
          body.isMissingNode() ? null : resolve(body)));
    }));
    return out;
  }

  JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      JsonNode n = spec;
      for (String part : node.get("$ref").asText().substring(2).split("/")) n = n.path(part);
      node = n;
    }
    return node;
  }

  // Fixtures: a started process and a claimed task, refreshed as the fuzzing uses them up

  void freshFixture() {
    Answer started = post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":2}}");
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    String id = json(started).path("process").path("id").asText();
    processes.add(id);
    created.add(id);
    post("/api/v1/pipelines/divide/resume", "{}");
    // Claimed tasks count against the stage's maxInFlight: end them, so polls keep claiming.
    for (String t : tasks) {
      if (settled.add(t)) post("/api/v1/tasks/" + t + "/complete", "{\"output\":1}");
    }
    for (int i = 0; i < 20; i++) {
      JsonNode claimed = json(post("/api/v1/tasks/poll", "{\"worker\":\"fixture\",\"stages\":[\"divide\"],\"max\":50}"))
          .path("tasks");
      claimed.forEach(t -> tasks.add(t.path("id").asText()));
      if (claimed.size() > 0) return;
    }
  }

  // Building a request: a valid one from the document, then mutated

  Req request(Op op) {
    raws.clear();
    Req r = new Req();
    r.method = op.method();
    String path = op.path();
    for (JsonNode p : op.params()) {
      if (p.path("in").asText().equals("path")) {
        path = path.replace("{" + p.path("name").asText() + "}", pathValue(op, p.path("name").asText(), r));
      }
    }
    StringBuilder query = new StringBuilder();
    for (JsonNode p : op.params()) {
      if (p.path("in").asText().equals("query") && random.nextInt(3) == 0) {
        String v = queryValue(p.path("name").asText(), resolve(p.path("schema")));
        if (v != null) addParam(query, p.path("name").asText(), v);
      }
    }
    JsonNode body = op.body() == null ? null : value("", op.body(), 0);
    int mutations = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextInt(5) == 0 ? 4 : 2);
    boolean contentType = true;
    String rawBody = null;
    byte[][] bytes = {null};
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(14)) {
        case 0, 1, 2, 3, 4 -> {
          if (body == null) body = F.objectNode();
          body = mutateBody(body, r);
        }
        case 5 -> rawBody = wholeBody(r);
        case 6 -> contentType = contentType(r);
        case 7, 8 -> query(op, query, r);
        case 9 -> {
          String name = op.params().stream().filter(p -> p.path("in").asText().equals("path"))
              .map(p -> p.path("name").asText()).findFirst().orElse(null);
          if (name != null) {
            path = fill(op, badId(r));
          }
        }
        case 10 -> {
          r.method = List.of("PUT", "DELETE", "PATCH", r.method.equals("GET") ? "POST" : "GET").get(random.nextInt(4));
          r.mutations.add("method " + r.method);
        }
        case 11 -> {
          String accept = List.of("text/html", "*/*", "application/xml", "text/plain", "application/json;q=0",
              "application/x-ndjson", "\u00e9t\u00e9", "a".repeat(5000), "", ",,,;q=").get(random.nextInt(10));
          r.headers.put("Accept", accept);
          r.mutations.add("accept " + Strict.printable(accept));
        }
        default -> {
          if (body == null) body = F.objectNode();
          body = mutateBody(body, r);
        }
      }
    }
    r.target = path + (query.isEmpty() ? "" : "?" + query);
    if (rawBody != null) {
      bytes[0] = rawBytes(rawBody);
    } else if (body != null && (r.method.equals("POST") || random.nextInt(4) == 0)) {
      bytes[0] = serialize(body, r);
    }
    r.body = bytes[0];
    if (r.body != null && contentType && !r.headers.containsKey("Content-Type")) {
      r.headers.put("Content-Type", "application/json");
    }
    return r;
  }

  String fill(Op op, String id) {
    String path = op.path();
    for (JsonNode p : op.params()) {
      if (p.path("in").asText().equals("path")) {
        String name = p.path("name").asText();
        path = path.replace("{" + name + "}", path.indexOf("{" + name + "}") == path.indexOf('{') ? id : pathValue(op, name, null));
      }
    }
    return path;
  }

  String pathValue(Op op, String name, Req r) {
    if (name.equals("pipeline") || name.equals("name")) return random.nextInt(20) == 0 ? "orders" : "divide";
    if (name.equals("stage")) return random.nextInt(10) == 0 ? "ocean" : "divide";
    if (op.path().startsWith("/api/v1/tasks")) {
      if (random.nextInt(12) == 0) return UUID.randomUUID().toString();
      return random.nextBoolean() ? last(tasks) : tasks.get(random.nextInt(tasks.size()));
    }
    if (random.nextInt(12) == 0) return UUID.randomUUID().toString();
    return random.nextBoolean() ? last(processes) : processes.get(random.nextInt(processes.size()));
  }

  static String last(List<String> list) {
    return list.get(list.size() - 1);
  }

  String badId(Req r) {
    String uuid = UUID.randomUUID().toString();
    String id = switch (random.nextInt(16)) {
      case 0 -> "not-a-uuid";
      case 1 -> uuid.substring(1);
      case 2 -> uuid + "0";
      case 3 -> uuid.replace("-", "");
      case 4 -> "{" + uuid + "}";
      case 5 -> uuid.toUpperCase(Locale.ROOT);
      case 6 -> "%00";
      case 7 -> "%C0%80";
      case 8 -> "%FF%FE";
      case 9 -> "x".repeat(10_000);
      case 10 -> "%ZZ";
      case 11 -> "00000000-0000-0000-0000-00000000000g";
      case 12 -> "-1";
      case 13 -> "%ED%A0%80";
      case 14 -> "..";
      default -> "1e400";
    };
    r.mutations.add("id " + Strict.printable(id));
    return id;
  }

  String queryValue(String name, JsonNode schema) {
    if (schema.has("enum")) return schema.get("enum").get(random.nextInt(schema.get("enum").size())).asText();
    return switch (name) {
      case "waitMs" -> String.valueOf(random.nextInt(20));
      case "limit" -> String.valueOf(1 + random.nextInt(20));
      case "fieldLimit" -> String.valueOf(random.nextInt(200));
      case "minutes" -> String.valueOf(1 + random.nextInt(60));
      case "pipeline" -> "divide";
      case "stage" -> STAGES.get(random.nextInt(3));
      case "cursor" -> last(processes);
      case "seenBefore", "createdAfter", "createdBefore" -> random.nextBoolean() ? "PT30S" : Instant.now().toString();
      case "customId" -> customIds.isEmpty() ? "c-1" : customIds.get(random.nextInt(customIds.size()));
      default -> "u-" + random.nextInt(5);
    };
  }

  void addParam(StringBuilder q, String name, String value) {
    if (!q.isEmpty()) q.append('&');
    q.append(name).append('=').append(value);
  }

  void query(Op op, StringBuilder q, Req r) {
    List<String> names = op.params().stream().filter(p -> p.path("in").asText().equals("query"))
        .map(p -> p.path("name").asText()).toList();
    String name = names.isEmpty() || random.nextInt(3) == 0
        ? List.of("verbose", "customID", "x", "%00", "p%FF", "limit", "", "a".repeat(300)).get(random.nextInt(8))
        : names.get(random.nextInt(names.size()));
    String value = List.of("-1", "0", "1e400", "99999999999999999999", "2147483648", "-2147483649", "abc", "%00", "%C0%80",
        "%FF", "%ZZ", "%", "%ED%A0%80", "a".repeat(7_000), "a".repeat(9_000), "+294277-01-01T00:00:00Z",
        "PT99999999999999H", "-PT1S", "P36526D", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
        "0000-12-31T23:59:59Z", "running", "RUNNING", "", "divide", "dvide", "x".repeat(201), "%E2%82",
        "1.5", "0x10", " 1", UUID.randomUUID().toString()).get(random.nextInt(33));
    addParam(q, name, value);
    if (random.nextInt(4) == 0) addParam(q, name, value);
    r.mutations.add("query " + Strict.printable(name) + "=" + Strict.printable(value));
  }

  /** A valid value for a schema, by the field's name where the name says more than the schema. */
  JsonNode value(String name, JsonNode schema, int depth) {
    schema = resolve(schema);
    switch (name) {
      case "payload", "output", "details", "input" -> {
        return random.nextBoolean() ? JSON.createObjectNode().put("x", random.nextInt(10)).put("y", random.nextInt(3))
            : anyValue(0);
      }
      case "customId" -> {
        String c = customIds.isEmpty() || random.nextInt(3) == 0 ? "c-" + random.nextInt(100_000)
            : customIds.get(random.nextInt(customIds.size()));
        customIds.add(c);
        return F.textNode(c);
      }
      case "user", "worker" -> {
        return F.textNode(name.charAt(0) + "-" + random.nextInt(5));
      }
      case "stage", "fromStage" -> {
        return F.textNode(STAGES.get(random.nextInt(3)));
      }
      case "stages" -> {
        return random.nextBoolean() ? F.arrayNode().add("divide") : F.arrayNode().add("divide").add("ocean").add("errors");
      }
      case "pipeline" -> {
        return F.textNode("divide");
      }
      case "waitMs" -> {
        return F.numberNode(random.nextInt(20));
      }
      case "max" -> {
        return F.numberNode(1 + random.nextInt(3));
      }
      case "outcome" -> {
        return F.textNode(List.of("ok", "failed", "odd").get(random.nextInt(3)));
      }
      case "id" -> {
        return F.textNode(tasks.get(random.nextInt(tasks.size())));
      }
      case "actions" -> {
        ArrayNode a = F.arrayNode();
        a.addObject().put("message_type", "m").putArray("task_level").add(1);
        return a;
      }
      case "seenBefore", "createdAfter", "createdBefore" -> {
        return F.textNode(random.nextBoolean() ? "PT30S" : Instant.now().minusSeconds(60).toString());
      }
      default -> {}
    }
    if (schema.has("enum")) return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
    String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        ObjectNode o = F.objectNode();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(x -> required.add(x.asText()));
        schema.path("properties").properties().forEach(p -> {
          if (required.contains(p.getKey()) || random.nextBoolean()) o.set(p.getKey(), value(p.getKey(), p.getValue(), depth + 1));
        });
        return o;
      }
      case "array" -> {
        ArrayNode a = F.arrayNode();
        int n = random.nextInt(3) + (name.equals("results") ? 1 : 0);
        for (int i = 0; i < n; i++) a.add(value(name.equals("results") ? "" : name, schema.path("items"), depth + 1));
        return a;
      }
      case "string" -> {
        return F.textNode("s-" + random.nextInt(100));
      }
      case "integer" -> {
        return F.numberNode(schema.path("minimum").asInt(0) + random.nextInt(3));
      }
      case "number" -> {
        return F.numberNode(random.nextDouble());
      }
      case "boolean" -> {
        return F.booleanNode(random.nextBoolean());
      }
      default -> {
        return anyValue(depth);
      }
    }
  }

  JsonNode anyValue(int depth) {
    return switch (depth > 3 ? random.nextInt(4) : random.nextInt(6)) {
      case 0 -> F.numberNode(random.nextInt(1000) - 500);
      case 1 -> F.textNode("v\u00e9\ud83d\ude00" + random.nextInt(9));
      case 2 -> F.booleanNode(random.nextBoolean());
      case 3 -> F.numberNode(random.nextDouble());
      case 4 -> F.arrayNode().add(anyValue(depth + 1)).add(anyValue(depth + 1));
      default -> F.objectNode().set("k" + random.nextInt(3), anyValue(depth + 1));
    };
  }

  // Mutations of the JSON tree; raw text is marked and put in when the body is written

  final List<String> raws = new ArrayList<>();

  JsonNode mutateBody(JsonNode body, Req r) {
    List<JsonNode> containers = new ArrayList<>();
    if (!body.isContainerNode()) body = F.objectNode().set("k", body);
    collect(body, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    JsonNode replacement;
    String what;
    switch (random.nextInt(9)) {
      case 0 -> {
        replacement = List.<JsonNode>of(F.numberNode(1), F.textNode("x"), F.arrayNode(), F.objectNode(), F.booleanNode(true),
            F.nullNode(), F.arrayNode().add("divide").add(1)).get(random.nextInt(7));
        what = "wrong type " + replacement;
      }
      case 1 -> {
        if (target.isObject() && target.size() > 0) {
          String k = Contract.names(target).get(random.nextInt(target.size()));
          ((ObjectNode) target).remove(k);
          r.mutations.add("removed " + k);
          return body;
        }
        replacement = F.nullNode();
        what = "null";
      }
      case 2 -> {
        if (target.isObject()) {
          List<String> keys = Contract.names(target);
          String k = !keys.isEmpty() && random.nextBoolean() ? typo(keys.get(random.nextInt(keys.size())))
              : List.of("extra", "__proto__", "", "\u00e9", "$ref").get(random.nextInt(5));
          ((ObjectNode) target).put(k, 1);
          r.mutations.add("unknown key '" + k + "'");
          return body;
        }
        replacement = F.objectNode().put("extra", 1);
        what = "object with unknown key";
      }
      case 3 -> {
        int n = List.of(0, 200, 201, 5000, MIB - 20, MIB, MIB + 1).get(random.nextInt(7));
        replacement = F.textNode("s".repeat(n));
        what = "string of " + n;
      }
      case 4 -> {
        int d = List.of(2, 60, 63, 64, 65, 100, 5000).get(random.nextInt(7));
        replacement = F.textNode(RAW + raws.size());
        raws.add(random.nextBoolean() ? "[".repeat(d) + "]".repeat(d) : "{\"a\":".repeat(d) + "1" + "}".repeat(d));
        what = "nesting " + d;
      }
      case 5 -> {
        String n = List.of("-1", "0", "-0", "1.5", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400",
            "1e-400", "2147483648", "9".repeat(100), "9".repeat(101), "1E308", "4.9e-324", "100000000000000000000e-10")
            .get(random.nextInt(15));
        replacement = F.textNode(RAW + raws.size());
        raws.add(n);
        what = "number " + n;
      }
      case 6 -> {
        String s = List.of("\\u0000", "a\\u0000b", "\\ud800", "x\\udc00", "\\udc00\\ud800", "\\ud83d\\ude00", "\\u0001",
            "\\u007f").get(random.nextInt(8));
        replacement = F.textNode(RAW + raws.size());
        raws.add("\"" + s + "\"");
        what = "text " + s;
      }
      case 7 -> {
        replacement = F.textNode("@@bytes@@" + random.nextInt(7));
        what = "bytes " + replacement.asText();
      }
      default -> {
        if (target.isObject() && target.size() > 0) {
          List<String> keys = Contract.names(target);
          String k = keys.get(random.nextInt(keys.size()));
          ((ObjectNode) target).putNull(DUP + raws.size());
          raws.add("\"" + k + "\":" + target.get(k));
          r.mutations.add("duplicate key '" + k + "'");
          return body;
        }
        replacement = F.textNode(RAW + raws.size());
        raws.add("{\"a\":1,\"a\":2}");
        what = "duplicate key a";
      }
    }
    r.mutations.add(what.length() > 80 ? what.substring(0, 80) : what);
    if (target == body && random.nextInt(4) == 0) return replacement;
    if (target.isObject()) {
      List<String> keys = Contract.names(target);
      String k = keys.isEmpty() || random.nextInt(5) == 0 ? "k" : keys.get(random.nextInt(keys.size()));
      ((ObjectNode) target).set(k, replacement);
    } else {
      ArrayNode a = (ArrayNode) target;
      if (a.isEmpty()) a.add(replacement);
      else a.set(random.nextInt(a.size()), replacement);
    }
    return body;
  }

  static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(c -> collect(c, out));
    }
  }

  String typo(String k) {
    if (k.length() < 2) return k + "x";
    int i = random.nextInt(k.length());
    return switch (random.nextInt(3)) {
      case 0 -> k.substring(0, i) + k.substring(i + 1);
      case 1 -> k.toUpperCase(Locale.ROOT);
      default -> k + "s";
    };
  }

  byte[] serialize(JsonNode body, Req r) {
    String text = body.toString();
    for (int i = raws.size() - 1; i >= 0; i--) {
      text = text.replace("\"" + RAW + i + "\"", raws.get(i)).replace("\"" + DUP + i + "\":null", raws.get(i));
    }
    raws.clear();
    return rawBytes(text);
  }

  /** Text as UTF-8, with the invalid byte sequences its markers ask for. */
  static byte[] rawBytes(String text) {
    byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {1}};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    for (int i; (i = text.indexOf("@@bytes@@", at)) >= 0; ) {
      out.writeBytes(text.substring(at, i).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(bad[text.charAt(i + 9) - '0']);
      at = i + 10;
    }
    out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  String wholeBody(Req r) {
    String b = List.of("", "null", "[]", "1", "\"s\"", "{", "{}}", "{} {}", "{\"a\":}", "{'a':1}", "{\"a\":NaN}",
        "\ufeff{}", "{\"a\":1,}", "[".repeat(100_000), "{\"payload\":1}//", "@@bytes@@1{}", "{\"a\":\"@@bytes@@0\"}",
        "{\"results\":[" + "{},".repeat(1000) + "{}]}").get(random.nextInt(18));
    r.mutations.add("body " + (b.length() > 40 ? b.substring(0, 40) + "..." : b));
    return b;
  }

  boolean contentType(Req r) {
    String t = List.of("text/plain", "application/json; charset=latin1", "application/xml", "multipart/form-data",
        "application/json;charset=utf-16", ";;;", "application/json; charset=\"utf-8\"", "application/problem+json",
        "application/x-www-form-urlencoded", "APPLICATION/JSON", "application/json; charset=", "\u00e9").get(random.nextInt(12));
    r.mutations.add("content type " + t);
    if (random.nextInt(6) == 0) {
      r.mutations.add("no content type");
      return false;
    }
    r.headers.put("Content-Type", t);
    return true;
  }

  // Judging an answer

  void judge(Op op, Req req, Answer a, long[] before) throws SQLException, IOException {
    String where = "\n  request: " + req.show() + "\n  answer: " + a.status() + " " + a.contentType() + " "
        + (a.text().length() > 500 ? a.text().substring(0, 500) : a.text());
    if (a.status() >= 500 || a.status() < 100) {
      failures.add("5xx or no answer" + where);
      return;
    }
    if (a.status() >= 400) {
      JsonNode problem;
      try {
        problem = JSON.readTree(a.body());
      } catch (IOException e) {
        problem = null;
      }
      if (documentedAnswer(op, req, a.status())) {
        // A 4xx the document gives its own answer (a start's CONFLICT): it must be that answer.
        List<String> wrong = Contract.get().violations(req.method, req.target, a.status(), a.contentType(), a.text());
        if (!wrong.isEmpty()) failures.add("an answer the document does not describe: " + wrong + where);
      } else if (!a.contentType().startsWith("application/problem+json") || problem == null
          || problem.path("detail").asText("").isBlank() || problem.path("status").asInt() != a.status()) {
        failures.add("a 4xx that is not a problem with a detail" + where);
      }
      long[] after = fingerprint();
      if (!java.util.Arrays.equals(before, after)) {
        failures.add("a refused request wrote (process, task, journal, stage_pause: rows and newest xmin "
            + java.util.Arrays.toString(before) + " -> " + java.util.Arrays.toString(after) + ")" + where);
      }
      return;
    }
    if (a.status() >= 300) return;
    if (req.method.equals(op.method()) && !req.target.contains("%")) {
      List<String> wrong = Contract.get().violations(req.method, req.target, a.status(), a.contentType(), a.text());
      if (!wrong.isEmpty()) failures.add("an answer the document does not describe: " + wrong + where);
    }
    if (op.id().equals("startProcess") && a.status() == 201) {
      String id = JSON.readTree(a.body()).path("process").path("id").asText();
      created.add(id);
      processes.add(id);
    }
    if (op.id().equals("pollTasks")) {
      try {
        JSON.readTree(a.body()).path("tasks").forEach(t -> tasks.add(t.path("id").asText()));
      } catch (IOException ignored) {
        // judged by the contract
      }
    }
  }

  /** Whether the document gives the operation's answer with this status a JSON body other than a problem. */
  boolean documentedAnswer(Op op, Req req, int status) {
    JsonNode response = resolve(spec.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT))
        .path("responses").path(String.valueOf(status)));
    return req.method.equals(op.method()) && response.path("content").has("application/json");
  }

  /** Rows and the newest row version (xmin) of each table a request writes. */
  long[] fingerprint() throws SQLException {
    try (Connection c = server.server().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select"
            + " (select count(*) from process), (select coalesce(max(xmin::text::bigint), 0) from process),"
            + " (select count(*) from task), (select coalesce(max(xmin::text::bigint), 0) from task),"
            + " (select count(*) from journal), (select coalesce(max(xmin::text::bigint), 0) from journal),"
            + " (select count(*) from stage_pause), (select coalesce(max(xmin::text::bigint), 0) from stage_pause)")) {
      rs.next();
      long[] out = new long[8];
      for (int i = 0; i < 8; i++) out[i] = rs.getLong(i + 1);
      return out;
    }
  }

  // The end: what was created is usable

  void everyCreatedProcessIsUsable() {
    JsonNode pipelines = json(get("/api/v1/pipelines")).path("items");
    pipelines.forEach(p -> assertThat(post("/api/v1/pipelines/" + p.path("name").asText() + "/resume", "{}").status()).isEqualTo(200));
    ArrayNode stages = F.arrayNode();
    pipelines.forEach(p -> p.path("stages").forEach(st -> stages.add(st.path("name").asText())));
    Set<String> listed = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page = json(get("/api/v1/processes?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)));
      page.path("items").forEach(p -> listed.add(p.path("id").asText()));
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
    } while (cursor != null);
    assertThat(listed).as("every created process is found by a search").containsAll(created);
    Set<String> waiting = new HashSet<>();
    for (String id : created) {
      Answer p = get("/api/v1/processes/" + id);
      assertThat(p.status()).as(p.text()).isEqualTo(200);
      Answer tree = get("/api/v1/processes/" + id + "/tree");
      assertThat(tree.status()).as("tree of " + id + ": " + tree.text()).isEqualTo(200);
      assertThat(get("/api/v1/processes/" + id + "/tree?format=text").status()).isEqualTo(200);
      Answer t = get("/api/v1/processes/" + id + "/tasks");
      assertThat(t.status()).as(t.text()).isEqualTo(200);
      JsonNode all = json(t).path("tasks");
      JsonNode current = all.get(all.size() - 1);
      if (current.path("status").asText().equals("QUEUED")) waiting.add(current.path("id").asText());
      // Claimed and never reported: end it, so the stage's maxInFlight lets the queued ones be claimed.
      if (current.path("status").asText().equals("RUNNING")) post("/api/v1/tasks/" + current.path("id").asText() + "/complete", "{\"output\":1}");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      json(post("/api/v1/tasks/poll", "{\"worker\":\"check\",\"stages\":" + stages + ",\"max\":1000,\"waitMs\":500}"))
          .path("tasks").forEach(x -> {
            waiting.remove(x.path("id").asText());
            post("/api/v1/tasks/" + x.path("id").asText() + "/complete", "{\"output\":1}");
          });
    }
    assertThat(waiting).as("queued tasks of created processes that no poll claims").isEmpty();
    System.out.println("ApiFuzzTest: " + created.size() + " created processes searched, fetched, drawn and polled");
  }

  // The wire: HTTP/1.1 over a socket, so any bytes can be sent

  Answer get(String target) {
    Req r = new Req();
    r.method = "GET";
    r.target = target;
    return send(r);
  }

  Answer post(String target, String body) {
    Req r = new Req();
    r.method = "POST";
    r.target = target;
    r.body = body.getBytes(StandardCharsets.UTF_8);
    r.headers.put("Content-Type", "application/json");
    return send(r);
  }

  static JsonNode json(Answer a) {
    try {
      return JSON.readTree(a.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + a.status() + " " + a.text(), e);
    }
  }

  Answer send(Req r) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes((r.method + " " + r.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
        .getBytes(StandardCharsets.UTF_8));
    r.headers.forEach((k, v) -> head.writeBytes((k + ": " + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
    if (r.body != null) head.writeBytes(("Content-Length: " + r.body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(head.toByteArray());
        if (r.body != null) out.write(r.body);
        out.flush();
      } catch (IOException refusedMidway) {
        // The server may answer (413) and close before it read the whole body: read what it said.
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[65536];
      try {
        for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
      } catch (IOException reset) {
        // what arrived is the answer
      }
      return parse(all.toByteArray());
    } catch (IOException e) {
      return new Answer(0, Map.of(), ("no answer: " + e).getBytes(StandardCharsets.UTF_8));
    }
  }

  static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return new Answer(0, Map.of(), ("no answer: " + text).getBytes(StandardCharsets.ISO_8859_1));
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int at = 0;
      while (at < body.length) {
        int eol = at;
        while (eol + 1 < body.length && !(body[eol] == '\r' && body[eol + 1] == '\n')) eol++;
        int size = Integer.parseInt(new String(body, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
        if (size == 0) break;
        out.write(body, eol + 2, size);
        at = eol + 2 + size + 2;
      }
      body = out.toByteArray();
    }
    return new Answer(status, headers, body);
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
