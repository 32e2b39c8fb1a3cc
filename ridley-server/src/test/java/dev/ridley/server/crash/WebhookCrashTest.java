package dev.ridley.server.crash;

import static dev.ridley.server.crash.ServerCrashTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.cli.RidleyCli;
import dev.ridley.server.notify.WebhookDelivery;
import dev.ridley.server.notify.WebhookReceiver;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An end whose webhook was not reached survives a SIGKILL of the server and is delivered after. */
class WebhookCrashTest {

  @Test
  void a_notification_not_yet_delivered_when_the_server_is_killed_is_delivered_by_the_next_one(@TempDir Path dir)
      throws Exception {
    int hookPort = freePort();
    int httpPort = freePort();
    Files.writeString(dir.resolve("flow.yaml"), """
        name: flow
        notify: {url: "http://127.0.0.1:%d/hook", on: [CANCELLED]}
        stages:
          first: {}
        """.formatted(hookPort));
    String dbUrl = TestDatabase.freshUrl();
    Map<String, String> env = new HashMap<>();
    env.put("RIDLEY_DB_URL", dbUrl);
    env.put("RIDLEY_DB_USER", "postgres");
    env.put("RIDLEY_HTTP_PORT", Integer.toString(httpPort));
    env.put("RIDLEY_PIPELINES", dir.toString());
    URI uri = URI.create("http://127.0.0.1:" + httpPort);
    HttpClient http = HttpClient.newHttpClient();

    String id;
    try (HikariDataSource db = TestDatabase.pool(dbUrl)) {
      try (ChildJvm first = ChildJvm.start("webhook-1", RidleyCli.class, env, "server")) {
        first.awaitLine("Ridley listening", Duration.ofSeconds(120));
        String started = post(http, uri.resolve("/api/v1/pipelines/flow/processes"), "{\"payload\": {\"n\": 1}}").body();
        id = started.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        // the cancel is answered: from here on its notification must not be lost
        assertThat(post(http, uri.resolve("/api/v1/processes/" + id + "/cancel"), "{}").statusCode()).isEqualTo(200);
        // nobody listens on the webhook's port: the first attempts fail
        await().atMost(Duration.ofSeconds(30)).until(() ->
            scalar(db, "select coalesce(max(attempts), 0) from notification") >= 1);
        first.kill();
      }
      assertThat(scalar(db, "select count(*) from notification where state = 'PENDING'")).isEqualTo(1);

      try (WebhookReceiver receiver = new WebhookReceiver(hookPort);
          ChildJvm second = ChildJvm.start("webhook-2", RidleyCli.class, env, "server")) {
        second.awaitLine("Ridley listening", Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.received().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() ->
            scalar(db, "select count(*) from notification") == 0);
        assertThat(receiver.received()).singleElement().satisfies(r -> {
          assertThat(r.header(WebhookDelivery.PROCESS_ID)).isEqualTo(id);
          assertThat(r.header(WebhookDelivery.PROCESS_STATUS)).isEqualTo("CANCELLED");
          assertThat(r.body()).contains("\"status\":\"CANCELLED\"");
        });
        assertThat(second.terminate(Duration.ofSeconds(60))).isEqualTo(0);
      }
    }
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
