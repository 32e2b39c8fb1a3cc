package dev.ridley.server.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver, never one Selenium downloads. A
 * missing browser fails the test with the command that installs it. Collects the browser console so
 * tests can assert the pages log no errors, and saves screenshots under {@code
 * target/screenshots/}.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);
  // Held so the setting sticks: without Chrome DevTools bindings on the classpath (we use none),
  // Selenium warns once per session that it found no CDP version to match.
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private final ChromeDriver driver;
  private final Path profile;
  private final URI base;
  private final List<String> errors = new ArrayList<>();
  private String test = "test";
  private int failures;

  private Browser(ChromeDriver driver, Path profile, URI base) {
    this.driver = driver;
    this.profile = profile;
    this.base = base;
  }

  /** Opens a headless Chromium with a laptop-sized window, for pages under {@code base}. */
  static Browser open(URI base) {
    CDP_LOG.setLevel(Level.OFF);
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new AssertionError(
            p
                + " is missing: the dashboard's browser tests need Debian's Chromium and its"
                + " driver. Install them with: apt-get update && apt-get install -y chromium"
                + " chromium-driver (.ci/run does this in CI)");
      }
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("ridley-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=1366,900",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1366, 900));
    return new Browser(driver, profile, base);
  }

  /** Names the screenshots a failed wait saves. */
  void test(String name) {
    this.test = name;
  }

  ChromeDriver driver() {
    return driver;
  }

  void go(String path) {
    driver.get(base.resolve(path).toString());
  }

  String path() {
    return URI.create(driver.getCurrentUrl()).getPath();
  }

  WebElement find(String css) {
    return until(
        () -> {
          List<WebElement> found = driver.findElements(By.cssSelector(css));
          return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        },
        "an element matching " + css);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The visible text of the first element matching {@code css}, or "" when there is none. */
  String text(String css) {
    try {
      List<WebElement> found = driver.findElements(By.cssSelector(css));
      return found.isEmpty() ? "" : found.getFirst().getText();
    } catch (StaleElementReferenceException e) {
      return ""; // replaced by a live update between find and read; the caller polls again
    }
  }

  void click(String css) {
    until(
        () -> {
          try {
            WebElement e =
                driver.findElements(By.cssSelector(css)).stream().findFirst().orElse(null);
            if (e == null || !e.isDisplayed() || !e.isEnabled()) return null;
            e.click();
            return true;
          } catch (StaleElementReferenceException e) {
            return null; // live updates replace elements; try the fresh one
          }
        },
        "a clickable " + css);
  }

  /** Waits until {@code condition} answers non-null (and not false); fails naming {@code what}. */
  <T> T until(Supplier<T> condition, String what) {
    try {
      return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
          .withMessage(
              () ->
                  "waited " + WAIT.toSeconds() + " s for " + what + " on " + driver.getCurrentUrl())
          .until(
              d -> {
                T v = condition.get();
                return Boolean.FALSE.equals(v) ? null : v;
              });
    } catch (RuntimeException e) {
      screenshot(test + "-failed-" + ++failures);
      throw e;
    }
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(
          shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Console errors (SEVERE entries) logged since the last call, each with its source. */
  List<String> consoleErrors() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    List<String> out = List.copyOf(errors);
    errors.clear();
    return out;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
