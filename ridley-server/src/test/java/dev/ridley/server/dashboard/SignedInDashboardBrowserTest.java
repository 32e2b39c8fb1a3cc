package dev.ridley.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.auth.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

/**
 * The dashboard of a server with API keys, in a real browser: a visitor is sent to the sign-in
 * page, signs in with a key, gets an HttpOnly SameSite=Strict session, sees only what its key
 * may see, and is offered only what its roles allow.
 */
class SignedInDashboardBrowserTest {

  static RidleyServer server;
  static String mine;
  static String theirs;

  @BeforeAll
  static void start() throws Exception {
    server = RidleyServer.start(Keys.config());
    mine = startAs(Keys.SHOP);
    theirs = startAs(Keys.OTHER_SHOP);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String startAs(String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/pipelines/divide/processes"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {\"x\": 1, \"y\": 2}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      return body.path("process").path("id").asText();
    }
  }

  static void signIn(Browser browser, String key) {
    browser.go("/processes");
    browser.until(() -> browser.path().equals("/signin"), "the sign-in page");
    browser.find("#key").sendKeys(key);
    browser.click("#signin button[type='submit']");
    browser.until(() -> browser.path().equals("/processes"), "back at the processes after signing in");
  }

  @Test
  void a_visitor_signs_in_with_a_key_and_a_client_sees_only_its_own_processes_and_no_operator_actions() {
    try (Browser browser = Browser.open(server.uri())) {
      browser.test("signed-in-client");
      browser.go("/");
      browser.until(() -> browser.path().equals("/signin"), "the sign-in page for a visitor");
      browser.find("#key").sendKeys("not-a-key");
      browser.click("#signin button[type='submit']");
      browser.until(() -> browser.text("#notice").contains("not known"), "a refused key");
      assertThat(browser.path()).isEqualTo("/signin");

      signIn(browser, Keys.SHOP);
      Cookie session = browser.driver().manage().getCookieNamed("ridley_session");
      assertThat(session).isNotNull();
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");
      assertThat(session.getValue()).doesNotContain(Keys.SHOP);

      browser.until(() -> !browser.all("tr[data-id='" + mine + "']").isEmpty(), "its own process listed");
      assertThat(browser.all("tr[data-id='" + theirs + "']")).isEmpty();
      assertThat(browser.text("header .caller")).contains("shop");
      browser.screenshot("signed-in-client-processes");
      assertThat(browser.all("button[data-action='cancel']")).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());
      assertThat(browser.all("button[data-action='cancel-selected']")).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());

      browser.go("/processes/" + theirs);
      browser.until(() -> browser.text("h1").contains("not found"), "another's process: not found");
      browser.go("/processes/" + mine);
      browser.until(() -> browser.text("#last-seen-stage").equals("divide"), "its own process");

      browser.go("/");
      browser.until(() -> !browser.all("section").isEmpty(), "the pipelines");
      browser.until(() -> !browser.all("details.start-process").isEmpty(), "the start form");
      assertThat(browser.find("details.start-process").isDisplayed()).isTrue();
      assertThat(browser.all("button[data-action='pause']")).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());

      browser.click("button[data-action='signout']");
      browser.until(() -> browser.path().equals("/signin"), "signed out");
      browser.go("/processes");
      browser.until(() -> browser.path().equals("/signin"), "signed out for good");
      assertThat(browser.consoleErrors().stream().filter(e -> !e.contains("status of 401") && !e.contains("status of 404")).toList()).isEmpty();
    }
  }

  @Test
  void an_operator_sees_everyones_processes_and_cancels_one_from_the_page_with_its_csrf_token() {
    String victim;
    try {
      victim = startAs(Keys.OTHER_SHOP);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    try (Browser browser = Browser.open(server.uri())) {
      browser.test("signed-in-operator");
      signIn(browser, Keys.OPS);
      browser.until(() -> !browser.all("tr[data-id='" + mine + "']").isEmpty()
          && !browser.all("tr[data-id='" + victim + "']").isEmpty(), "everyone's processes");
      browser.go("/processes/" + victim);
      browser.until(() -> browser.text(".card-head .badge").equals("RUNNING"), "the process");
      browser.click("button[data-action='cancel']");
      browser.until(() -> browser.text(".card-head .badge").equals("CANCELLED"), "cancelled from the page");
      browser.screenshot("signed-in-operator-cancelled");
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> events = http.send(HttpRequest.newBuilder(
              URI.create(server.uri() + "/api/v1/processes/" + victim + "/events"))
          .header("Authorization", "Bearer " + Keys.OPS).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(events.body()).contains("\"actor\":\"ops\"");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

}
