package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The per-stage counts, kept as processes change (migration V10), always equal a count of the
 * process and task tables, whatever happened: starts single and in bulk, reports of every outcome,
 * cancels, replays, timers that lose processes, parks, retention deleting ended processes, and
 * the sweeper folding the changes into the totals at any point.
 */
class StageCountsPropertyTest {

  static final String PIPELINE = """
      name: counted
      retention: 1m
      defaults:
        retry: {attempts: 1}
        timeouts: {pollToEnd: 10s}
      stages:
        a: {}
        b: {}
        errors: {}
      routes:
        - a.ok -> b
        - a.failed -> errors
        - a.invalid -> "@park"
        - b.ok -> "@done"
        - errors.ok -> "@fail"
      """;

  static HikariDataSource db;
  static SettableClock clock;
  static Engine engine;
  static int started;

  @BeforeContainer
  static void setUp() {
    db = TestDatabase.fresh();
    clock = new SettableClock();
    engine = Engine.builder(db).clock(clock).pipelines(List.of(PipelineLoader.parse(PIPELINE, "counted.yaml"))).build();
  }

  @AfterContainer
  static void tearDown() {
    engine.close();
    db.close();
  }

  @Property(tries = 40)
  void the_kept_counts_equal_a_count_of_the_tables_after_any_workload(
      @ForAll @Size(min = 1, max = 14) List<@IntRange(min = 0, max = 9999) Integer> steps) throws Exception {
    for (int step : steps) {
      apply(step % 8, step / 8);
    }
    assertThat(kept()).isEqualTo(truth());
  }

  private static void apply(int kind, int n) throws Exception {
    switch (kind) {
      case 0 -> { // single starts, some repeating a customId
        for (int i = 0; i <= n % 5; i++) {
          engine.processes().start("counted", new StartRequest("s" + (started++ % 50), null, IntNode.valueOf(1)));
        }
      }
      case 1 -> { // a bulk start with a repeated customId and a refused item
        List<StartRequest> batch = new ArrayList<>();
        for (int i = 0; i <= n % 6; i++) batch.add(new StartRequest("b" + (started++ % 40), null, IntNode.valueOf(i)));
        batch.add(new StartRequest(null, null, null));
        batch.add(batch.getFirst());
        engine.processes().startAll("counted", batch);
      }
      case 2, 3 -> { // workers report every outcome
        String stage = List.of("a", "b", "errors").get(n % 3);
        for (ClaimedTask t : engine.workers().poll("w", List.of(stage), 1 + n % 7, Duration.ZERO)) {
          switch ((n + t.attempt()) % 4) {
            case 0, 1 -> engine.workers().complete(t.id(), "ok", IntNode.valueOf(2));
            case 2 -> engine.workers().fail(t.id(), new ErrorInfo("E", "boom", null), false, null);
            default -> engine.workers().complete(t.id(), stage.equals("a") ? "invalid" : "ok", null);
          }
        }
      }
      case 4 -> { // an operator cancels or replays
        List<ProcessView> some = engine.processes().search(ProcessQuery.all().withPipeline("counted").withLimit(20))
            .items();
        if (some.isEmpty()) return;
        ProcessView p = some.get(n % some.size());
        try {
          if (p.status() == ProcessStatus.RUNNING || p.status() == ProcessStatus.PARKED) {
            engine.operations().cancel(p.id(), "property");
          } else if (p.status() != ProcessStatus.SUCCEEDED && p.status() != ProcessStatus.CANCELLED) {
            engine.operations().replay(p.id(), null);
          }
        } catch (ConflictException moved) {
          // fine: the state it was in did not allow it
        }
      }
      case 5 -> { // claimed attempts time out: processes are lost
        engine.workers().poll("slow", List.of("a", "b"), 1 + n % 3, Duration.ZERO);
        clock.advance(Duration.ofSeconds(11));
        engine.operations().sweepOnce();
      }
      case 6 -> engine.operations().sweepOnce(); // folds the changes into the totals
      default -> { // retention deletes the ended processes
        clock.advance(Duration.ofMinutes(2));
        engine.operations().purgeExpired();
      }
    }
  }

  /** Queued, running and ended counts per stage, as the engine answers them. */
  private static Map<String, List<Long>> kept() {
    Map<String, List<Long>> out = new TreeMap<>();
    engine.operations().stageCounts("counted").forEach((stage, c) -> out.put(stage,
        List.of(c.queued(), c.running(), c.succeeded(), c.failed(), c.parked(), c.lost(), c.cancelled())));
    return out;
  }

  /** The same, counted from the tables. */
  private static Map<String, List<Long>> truth() throws Exception {
    Map<String, List<Long>> out = new TreeMap<>();
    for (String stage : List.of("a", "b", "errors")) {
      List<Long> row = new ArrayList<>();
      row.add(count("select count(*) from task where pipeline = 'counted' and stage = '" + stage + "' and status = 'QUEUED'"));
      row.add(count("select count(*) from task where pipeline = 'counted' and stage = '" + stage + "' and status = 'RUNNING'"));
      for (String status : List.of("SUCCEEDED", "FAILED", "PARKED", "LOST", "CANCELLED")) {
        row.add(count("select count(*) from process where pipeline = 'counted' and last_stage = '" + stage
            + "' and status = '" + status + "'"));
      }
      out.put(stage, row);
    }
    return out;
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static {
    Json.object(); // loads the engine's mapper before the first try
  }
}
