package dev.ridley.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against a real server. Workers are raw HTTP calls made
 * by the test, so each step of a process happens exactly when the test says.
 */
class DashboardBrowserTest {

  @TempDir static Path pipelines;
  static RidleyServer server;
  static Http http;
  static Browser browser;
  private String test;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(
        pipelines.resolve("flow.yaml"),
        """
        name: flow
        stages:
          pick: {}
          pack: {}
        routes:
          - pick.ok -> pack
          - pack.ok -> @done
        """);
    // No worker polls 'weigh' or 'sort' unless a test says so: their tasks go LOST after 1 s.
    Files.writeString(
        pipelines.resolve("fragile.yaml"),
        """
        name: fragile
        stages:
          weigh: {timeouts: {enqueueToPoll: 1s}}
        routes:
          - weigh.ok -> @done
        """);
    Files.writeString(
        pipelines.resolve("brittle.yaml"),
        """
        name: brittle
        stages:
          sort: {timeouts: {enqueueToPoll: 1s}}
        """);
    Files.writeString(
        pipelines.resolve("shelf.yaml"),
        """
        name: shelf
        stages:
          stock: {}
        """);
    Files.writeString(
        pipelines.resolve("mend.yaml"),
        """
        name: mend
        stages:
          fix: {}
        """);
    Files.writeString(
        pipelines.resolve("idle.yaml"),
        """
        name: idle
        stages:
          wait: {}
        """);
    server = RidleyServer.start(TestServers.config().toBuilder().setPipelines(pipelines).build());
    http = new Http(server.uri());
    browser = Browser.open(server.uri());
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.close();
    } finally {
      if (server != null) server.close();
    }
  }

  @BeforeEach
  void name(TestInfo info) {
    test = info.getTestMethod().orElseThrow().getName();
    browser.test(test);
  }

  @AfterEach
  void the_page_logged_no_console_errors() {
    browser.screenshot(test + "-end");
    assertThat(browser.consoleErrors()).as("browser console errors during " + test).isEmpty();
  }

  @Test
  void a_process_started_from_the_overview_moves_through_its_stages_live() {
    browser.go("/");
    String flow = "section[data-pipeline='flow'] ";
    browser.until(
        () -> browser.text(flow + ".empty").contains("curl -X POST"), "the empty state's curl");
    browser.screenshot(test + "-1-empty");

    browser.click(flow + "details summary");
    WebElement payload = browser.find(flow + "textarea[name='payload']");
    payload.clear();
    payload.sendKeys("{\"order\": 7}");
    browser.find(flow + "input[name='user']").sendKeys("alice");
    browser.click(flow + "button[data-action='start']");
    browser.until(() -> browser.text("#notice").startsWith("Started process"), "the start notice");
    awaitCount(flow, "pick", "queued", "1");

    JsonNode task = poll("w-pick", "pick");
    awaitCount(flow, "pick", "running", "1");
    browser.until(
        () -> browser.text(flow + "tr[data-stage='pick'] td[data-col='workers']").equals("1"),
        "one worker at pick");
    browser.screenshot(test + "-2-running");

    browser.click("#notice a");
    String id = task.path("processId").asText();
    browser.until(() -> browser.path().equals("/processes/" + id), "the process page");
    browser.until(() -> browser.text(".card-head .badge").equals("RUNNING"), "status RUNNING");
    assertThat(browser.all(".timeline .lane")).hasSize(1);

    complete(task, "{\"picked\": true}");
    browser.until(
        () -> browser.text("#last-seen-stage").equals("pack"), "lastSeen to move to pack");
    browser.until(() -> browser.all(".timeline .lane").size() == 2, "a second bar for pack");
    complete(poll("w-pack", "pack"), "{\"packed\": 7}");
    browser.until(() -> browser.text(".card-head .badge").equals("SUCCEEDED"), "status SUCCEEDED");
    browser.until(
        () -> browser.text("section[aria-labelledby='h-output']").contains("\"packed\": 7"),
        "the output");
    assertThat(browser.all(".timeline .lane[data-status='SUCCEEDED']")).hasSize(2);
    browser.until(() -> !browser.all("ul.tree li").isEmpty(), "the action tree");
    browser.screenshot(test + "-3-process");

    browser.click("button[data-tab='text']");
    browser.until(() -> !browser.text("#tab-panel pre").isBlank(), "the tree as text");
    browser.click("button[data-tab='journal']");
    browser.until(() -> browser.all("#tab-panel tbody tr").size() >= 4, "the journal");

    browser.go("/");
    awaitCount(flow, "pack", "succeeded", "1");
    awaitCount(flow, "pick", "queued", "0");
  }

  @Test
  void a_lost_process_is_replayed_from_the_lost_list_and_the_counts_change() {
    String id = startProcess("fragile", "{\"payload\": {\"kg\": 3}}");
    browser.go("/");
    String fragile = "section[data-pipeline='fragile'] ";
    awaitCount(fragile, "weigh", "lost", "1");
    browser.screenshot(test + "-1-lost-on-overview");

    browser.click(fragile + "tr[data-stage='weigh'] td[data-count='lost'] a");
    browser.until(() -> browser.path().equals("/processes"), "the LOST list");
    String row = "tr[data-id='" + id + "'] ";
    browser.until(
        () -> browser.text(row).contains("TASK_ENQUEUE_TO_POLL_TIMEOUT"),
        "the lost process with its reason");
    browser.screenshot(test + "-2-lost-list");

    browser.click(row + "button[data-action='replay']");
    browser.until(
        () -> browser.text("#notice").startsWith("Replayed process"), "the replay notice");
    complete(poll("w-weigh", "weigh"), "{\"weighed\": 3}");
    browser.until(() -> browser.all(row).isEmpty(), "the replayed process to leave the LOST list");
    browser.until(
        () -> browser.text("#results").contains("No LOST processes"), "the empty LOST list");

    browser.go("/");
    awaitCount(fragile, "weigh", "lost", "0");
    awaitCount(fragile, "weigh", "succeeded", "1");
    JsonNode p = http.get("/api/v1/processes/" + id).json();
    assertThat(p.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(p.path("replays").asInt()).isEqualTo(1);
  }

  @Test
  void selected_lost_processes_and_then_all_matching_ones_are_replayed_in_bulk() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      ids.add(startProcess("brittle", "{\"customId\": \"bulk-" + i + "\", \"payload\": {}}"));
    browser.go("/processes?pipeline=brittle&status=LOST");
    for (String id : ids) browser.find("tr[data-id='" + id + "']");

    browser.click("tr[data-id='" + ids.get(0) + "'] input[type='checkbox']");
    browser.click("tr[data-id='" + ids.get(1) + "'] input[type='checkbox']");
    browser.until(
        () -> browser.text("button[data-action='replay-selected']").equals("Replay selected (2)"),
        "two selected");
    browser.screenshot(test + "-1-selected");
    browser.click("button[data-action='replay-selected']");
    browser.until(
        () -> browser.text("#notice").equals("Replayed 2 processes."), "the bulk replay notice");

    // Nobody polls 'sort', so both go LOST again a second later; then replay every match.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids.stream().allMatch(id -> status(id).equals("LOST")));
    for (String id : ids) browser.find("tr[data-id='" + id + "']");
    browser.click("button[data-action='replay-all']");
    browser.until(
        () ->
            browser.text("#confirm-text").contains("Replay every LOST process in pipeline brittle"),
        "the confirmation");
    browser.screenshot(test + "-2-confirm");
    browser.click("#confirm-yes");
    browser.until(
        () -> browser.text("#notice").equals("Replayed 3 processes."), "the replay-all notice");
    List<Integer> replays =
        ids.stream()
            .map(id -> http.get("/api/v1/processes/" + id).json().path("replays").asInt())
            .toList();
    assertThat(replays).containsExactly(2, 2, 1);
  }

  @Test
  void a_failed_process_is_replayed_and_then_cancelled_from_its_own_page() {
    String id = startProcess("mend", "{\"payload\": {\"part\": \"hinge\"}}");
    JsonNode task = poll("w-fix", "fix");
    Http.Answer failed =
        http.post(
            "/api/v1/tasks/" + task.path("id").asText() + "/fail",
            "{\"error\": {\"type\": \"HingeBroken\", \"message\": \"no spare hinge\"},"
                + " \"retryable\": false}");
    assertThat(failed.status()).as(failed.text()).isEqualTo(200);

    browser.go("/processes/" + id);
    browser.until(() -> browser.text(".card-head .badge").equals("FAILED"), "status FAILED");
    assertThat(browser.text(".error-box")).contains("HingeBroken").contains("no spare hinge");
    assertThat(browser.all(".timeline .lane[data-status='FAILED']")).hasSize(1);
    assertThat(browser.find("button[data-action='cancel']").isEnabled()).isFalse();

    new Select(browser.find("select[aria-label='Replay from stage']")).selectByValue("fix");
    browser.click("button[data-action='replay']");
    browser.until(
        () ->
            browser
                .text("#notice")
                .startsWith("Replayed: the process is RUNNING again at stage fix"),
        "the replay notice");
    browser.until(() -> browser.text(".card-head .badge").equals("RUNNING"), "status RUNNING");
    browser.until(
        () -> browser.all(".timeline .lane").size() == 2, "a bar for the replayed attempt");
    browser.until(
        () ->
            browser.text("#tab-panel").contains("replay")
                || browser.text("#tab-panel").contains("Replay"),
        "the replay in the tree");
    browser.screenshot(test + "-1-replayed");

    browser.click("button[data-action='cancel']");
    browser.until(() -> browser.text(".card-head .badge").equals("CANCELLED"), "status CANCELLED");
    browser.until(
        () -> !browser.all(".timeline .lane[data-status='CANCELLED']").isEmpty(),
        "the cancelled attempt's bar");
    assertThat(status(id)).isEqualTo("CANCELLED");
  }

  @Test
  void the_search_finds_processes_by_user_custom_id_and_how_long_they_have_not_been_seen() {
    String bob =
        startProcess("shelf", "{\"user\": \"bob\", \"customId\": \"order-42\", \"payload\": {}}");
    startProcess("shelf", "{\"user\": \"carol\", \"payload\": {}}");
    browser.go("/processes");
    browser.find("tr[data-id='" + bob + "']");

    browser.find("#filters input[name='user']").sendKeys("bob");
    browser.click("#filters button[type='submit']");
    browser.until(
        () ->
            browser.all("#results tbody tr").size() == 1
                && !browser.all("tr[data-id='" + bob + "']").isEmpty(),
        "only bob's process");
    assertThat(browser.path()).isEqualTo("/processes");
    assertThat((String) browser.script("return location.search")).contains("user=bob");

    browser.find("#filters input[name='notSeenFor']").sendKeys("1h");
    browser.click("#filters button[type='submit']");
    browser.until(
        () -> browser.text("#results").contains("No processes match these filters"),
        "no process unseen for an hour");
    browser.click("#results .empty button");
    browser.find("tr[data-id='" + bob + "']");

    WebElement jump = browser.find("#jump input[name='q']");
    jump.sendKeys("order-42", Keys.ENTER);
    browser.until(
        () -> ((String) browser.script("return location.search")).contains("customId=order-42"),
        "a customId search");
    browser.find("tr[data-id='" + bob + "']");
    jump = browser.find("#jump input[name='q']");
    jump.sendKeys(bob, Keys.ENTER);
    browser.until(() -> browser.path().equals("/processes/" + bob), "the process page by id");
    browser.find(".card-head .badge");
  }

  @Test
  void a_pipeline_is_paused_and_resumed_with_the_keyboard_alone() {
    browser.go("/");
    String idle = "section[data-pipeline='idle'] ";
    browser.find(idle + "h2");
    assertThat(browser.text(idle + ".empty"))
        .contains("No processes in idle yet")
        .contains("/api/v1/pipelines/idle/processes");

    WebElement pause = tabUntil("Pause pipeline idle");
    pause.sendKeys(Keys.ENTER);
    browser.until(
        () -> browser.text(idle + ".card-head .badge").equals("PAUSED"), "the PAUSED badge");
    assertThat(http.get("/api/v1/pipelines/idle").json().path("paused").asBoolean()).isTrue();
    browser.screenshot(test + "-paused");
    // Live updates re-render the button; keyboard focus stays on it.
    browser.until(
        () -> "Resume pipeline idle".equals(focusedLabel()), "focus on the Resume button");
    new Actions(browserDriver()).sendKeys(Keys.ENTER).perform();
    browser.until(
        () -> browser.text(idle + ".card-head .badge").isEmpty(), "the PAUSED badge to go");
    assertThat(http.get("/api/v1/pipelines/idle").json().path("paused").asBoolean()).isFalse();
  }

  @Test
  void every_page_answers_from_the_jar_on_the_api_port_without_console_errors() {
    for (String page :
        List.of("/", "/processes", "/processes?status=PARKED", "/processes/not-an-id")) {
      browser.go(page);
      browser.until(
          () -> browser.all("[aria-busy='true']").isEmpty(), "the page " + page + " to load");
    }
    assertThat(browser.text("main")).contains("not a process id");
    browser.go("/processes?status=PARKED");
    browser.until(
        () -> browser.text("#results").contains("No PARKED processes"), "the PARKED empty state");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static void awaitCount(String section, String stage, String kind, String n) {
    String css = section + "tr[data-stage='" + stage + "'] td[data-count='" + kind + "']";
    browser.until(
        () -> browser.text(css).equals(n), kind + " = " + n + " at " + stage + " (" + css + ")");
  }

  private static String status(String id) {
    return http.get("/api/v1/processes/" + id).json().path("status").asText();
  }

  private static String startProcess(String pipeline, String body) {
    Http.Answer a = http.post("/api/v1/pipelines/" + pipeline + "/processes", body);
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    return a.json().path("process").path("id").asText();
  }

  /** Claims one task of {@code stage} as {@code worker}, waiting for it up to 5 s. */
  private static JsonNode poll(String worker, String stage) {
    Http.Answer a =
        http.post(
            "/api/v1/tasks/poll",
            "{\"worker\": \""
                + worker
                + "\", \"stages\": [\""
                + stage
                + "\"], \"max\": 1, \"waitMs\": 5000}");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    List<JsonNode> tasks =
        StreamSupport.stream(a.json().path("tasks").spliterator(), false).toList();
    assertThat(tasks).as("a task of stage " + stage).hasSize(1);
    return tasks.getFirst();
  }

  private static void complete(JsonNode task, String output) {
    Http.Answer a =
        http.post(
            "/api/v1/tasks/" + task.path("id").asText() + "/complete",
            "{\"output\": " + output + "}");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
  }

  /** Presses Tab from the top of the page until the focused element has this label. */
  private WebElement tabUntil(String label) {
    browser.script(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    Actions keys = new Actions(browserDriver());
    for (int i = 0; i < 80; i++) {
      keys.sendKeys(Keys.TAB).perform();
      if (label.equals(focusedLabel())) {
        return (WebElement) browser.script("return document.activeElement");
      }
    }
    throw new AssertionError("'" + label + "' is not reachable with Tab from the top of the page");
  }

  private static String focusedLabel() {
    return (String)
        browser.script(
            "const e = document.activeElement; return e ? (e.getAttribute('aria-label') ||"
                + " e.textContent.trim()) : null");
  }

  private static WebDriver browserDriver() {
    return browser.driver();
  }
}
