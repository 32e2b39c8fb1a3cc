package dev.ridley.engine.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.Engine;
import dev.ridley.engine.EngineBuilder;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Engines for a test: pipelines parsed from YAML, a fresh database ({@link TestDatabase#fresh()})
 * and a {@link SettableClock}, and every engine and the database's pool closed when the test is
 * done.
 *
 * <pre>{@code
 * @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.FLOW);
 * final SettableClock clock = engines.clock();
 * final Engine engine = engines.engine();
 *
 * @Test void two_nodes() { Engine other = engines.node(); ... }
 * }</pre>
 *
 * <p>Registered on an instance field, everything lives for one test method and is closed after it;
 * registered on a {@code static} field, it lives for the whole class (for {@code @BeforeAll}
 * setups) and is closed after the last test. The database and the first engine are made on first
 * use, so a test that needs neither pays for neither.
 */
public final class TestEngines implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private final List<Pipeline> pipelines;
  private Clock clock = new SettableClock();
  private UnaryOperator<EngineBuilder> configure = UnaryOperator.identity();
  private final List<Engine> built = new ArrayList<>();
  private HikariDataSource dataSource;
  private boolean perClass;

  private TestEngines(List<Pipeline> pipelines) {
    this.pipelines = pipelines;
  }

  /** Engines running the pipelines written in {@code yaml}, one pipeline per text. */
  public static TestEngines of(String... yaml) {
    return new TestEngines(Arrays.stream(yaml).map(y -> PipelineLoader.parse(y, "test.yaml")).toList());
  }

  /** Runs on the system clock instead, for tests where time must really pass. */
  public TestEngines systemClock() {
    clock = Clock.systemUTC();
    return this;
  }

  /** Adds settings to every engine built, e.g. {@code b -> b.pollRecheck(Duration.ofMillis(10))}. */
  public TestEngines configure(UnaryOperator<EngineBuilder> settings) {
    UnaryOperator<EngineBuilder> before = configure;
    configure = b -> settings.apply(before.apply(b));
    return this;
  }

  /** The clock every engine reads; fails if {@link #systemClock()} was chosen. */
  public SettableClock clock() {
    if (clock instanceof SettableClock settable) return settable;
    throw new IllegalStateException("these engines run on the system clock");
  }

  public synchronized HikariDataSource dataSource() {
    if (dataSource == null) dataSource = TestDatabase.fresh();
    return dataSource;
  }

  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /** The first engine, built on first use. */
  public synchronized Engine engine() {
    return built.isEmpty() ? node() : built.getFirst();
  }

  /** Another engine on the same database, clock and pipelines: a second node of one cluster. */
  public synchronized Engine node() {
    Engine engine = configure.apply(Engine.builder(dataSource()).clock(clock).pipelines(pipelines)).build();
    built.add(engine);
    return engine;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) close();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private synchronized void close() {
    RuntimeException failure = null;
    for (Engine engine : built.reversed()) {
      try {
        engine.close();
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    built.clear();
    if (dataSource != null) dataSource.close();
    dataSource = null;
    if (failure != null) throw failure;
  }
}
