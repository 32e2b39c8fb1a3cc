package dev.ridley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.server.RunningServer;
import dev.ridley.server.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a web page in an operator's browser could try against a server on 127.0.0.1 without
 * authentication: a form post, a plain-text fetch, a foreign Host after a DNS rebinding, a
 * cross-origin call. Each is refused and changes nothing.
 */
class BrowserDefencesTest {

  @RegisterExtension static final RunningServer server = new RunningServer(() -> TestServers.config().toBuilder()
      .setCorsOrigins(List.of("https://shop.example.com")).setPublicUrl("http://ridley.internal:8088").build());

  final AuthedHttp http = new AuthedHttp(server.uri());

  @Test
  void a_cross_origin_form_post_is_refused_and_pauses_nothing() {
    AuthedHttp.Answer a = http.send(http.request(null, "/api/v1/pipelines/divide/pause")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "https://evil.example.com")
        .POST(HttpRequest.BodyPublishers.ofString("stage=divide")));
    assertThat(a.status()).isIn(403, 415);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    assertThat(http.get(null, "/api/v1/pipelines/divide").json().path("paused").asBoolean()).isFalse();
    assertThat(http.get(null, "/api/v1/pipelines/divide").json().path("stages").get(0).path("paused").asBoolean()).isFalse();
  }

  @Test
  void a_same_origin_form_or_text_post_is_refused_415_so_no_page_can_forge_one() {
    for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
      AuthedHttp.Answer a = http.send(http.request(null, "/api/v1/pipelines/divide/pause")
          .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(a.status()).as(type).isEqualTo(415);
      assertThat(a.detail()).contains("application/json");
    }
    AuthedHttp.Answer none = http.send(http.request(null, "/api/v1/pipelines/divide/pause")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(none.status()).isEqualTo(415);
    assertThat(http.get(null, "/api/v1/pipelines/divide").json().path("paused").asBoolean()).isFalse();
  }

  @Test
  void a_json_post_from_another_origin_is_refused_403_even_with_the_right_content_type() {
    AuthedHttp.Answer a = http.send(http.request(null, "/api/v1/pipelines/divide/processes")
        .header("Content-Type", "application/json").header("Origin", "http://attacker.test")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {}}")));
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.detail()).contains("attacker.test");
    // The public URL's origin is this server's own, whatever Host a proxy passes on.
    AuthedHttp.Answer own = http.send(http.request(null, "/api/v1/pipelines/divide/processes")
        .header("Content-Type", "application/json").header("Origin", "http://ridley.internal:8088")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {}}")));
    assertThat(own.status()).isEqualTo(201);
  }

  @Test
  void a_foreign_host_header_is_refused_and_the_public_url_and_ip_addresses_are_accepted() {
    for (String host : List.of("evil.example.com", "rebind.attacker.test:8088", "localhost.evil.com")) {
      String answer = rawGet("/api/v1/pipelines", host);
      assertThat(answer).as(host).startsWith("HTTP/1.1 400").contains("application/problem+json")
          .contains("RIDLEY_PUBLIC_URL");
    }
    for (String host : List.of("ridley.internal:8088", "localhost:" + server.server().port(), "127.0.0.1", "[::1]:80")) {
      assertThat(rawGet("/api/v1/pipelines", host)).as(host).startsWith("HTTP/1.1 200");
    }
  }

  /** The JDK's client will not send another Host, so this one is written by hand. */
  private static String rawGet(String path, String host) {
    try (Socket s = new Socket("127.0.0.1", server.server().port())) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void cors_answers_only_the_listed_origins() {
    AuthedHttp.Answer listed = http.send(http.request(null, "/api/v1/pipelines")
        .header("Origin", "https://shop.example.com").GET());
    assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.com");
    AuthedHttp.Answer other = http.send(http.request(null, "/api/v1/pipelines")
        .header("Origin", "https://evil.example.com").GET());
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    AuthedHttp.Answer preflight = http.send(http.request(null, "/api/v1/pipelines/divide/processes")
        .header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
    AuthedHttp.Answer allowedPost = http.send(http.request(null, "/api/v1/pipelines/divide/processes")
        .header("Content-Type", "application/json").header("Origin", "https://shop.example.com")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {}}")));
    assertThat(allowedPost.status()).isEqualTo(201);
  }
}
