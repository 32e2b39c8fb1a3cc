package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ridley.engine.RidleyException;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.server.auth.ApiKeys;
import dev.ridley.server.auth.Principal;
import dev.ridley.server.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ridley keys new} makes entries the server reads; the demo with RIDLEY_AUTH_FILE makes and uses its own keys. */
class KeysAndDemoWithKeysTest {

  @Test
  void keys_new_prints_a_fresh_key_and_an_entry_the_server_accepts_for_it(@TempDir Path dir) throws Exception {
    PrintStream was = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      code = RidleyCli.commandLine().execute("keys", "new", "divide-workers", "--role", "worker", "--stage", "divide",
          "--stage", "ocean");
    } finally {
      System.setOut(was);
    }
    assertThat(code).isZero();
    String out = printed.toString(StandardCharsets.UTF_8);
    String key = out.lines().filter(l -> l.startsWith("key: ")).findFirst().orElseThrow().substring(5);
    assertThat(key).startsWith("rk_").hasSizeGreaterThan(40);
    String entry = out.substring(out.indexOf("  - name:"));
    assertThat(entry).doesNotContain(key).contains(ApiKeys.sha256Hex(key));
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, "keys:\n" + entry);
    Principal p = ApiKeys.load(file).find(key);
    assertThat(p.name()).isEqualTo("divide-workers");
    assertThat(p.roles()).containsExactly(Role.WORKER);
    assertThat(p.stages()).containsExactlyInAnyOrder("divide", "ocean");
    assertThat(ApiKeys.load(file).find(key + "x")).isNull();

    assertThat(RidleyCli.commandLine().execute("keys", "new", "x", "--role", "superuser")).isNotZero();
  }

  @Test
  void the_demo_with_an_auth_file_makes_its_keys_and_its_workers_use_them(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo-keys.yaml");
    DemoKeys keys = DemoKeys.create(file);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).doesNotContain(keys.admin()).doesNotContain(keys.worker());
    assertThat(keys.banner(file)).contains(keys.admin()).contains("Authorization: Bearer");
    assertThatThrownBy(() -> DemoKeys.create(file)).isInstanceOf(RidleyException.class).hasMessageContaining("exists");

    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setAuthFile(file).build());
        DemoScenarios demo = DemoScenarios.start(server.uri(), Set.of("divide"), out, keys);
        HttpClient http = HttpClient.newHttpClient()) {
      URI start = server.uri().resolve("/api/v1/pipelines/divide/processes?waitMs=10000");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(start).header("Authorization", "Bearer " + keys.admin())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {\"x\": 1, \"y\": 2}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(r.body()).contains("\"SUCCEEDED\"").contains("\"user\":\"demo-admin\"");
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/processes")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    }
  }
}
