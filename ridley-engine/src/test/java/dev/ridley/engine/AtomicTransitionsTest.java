package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failure between any two statements of a transition leaves no half state. */
class AtomicTransitionsTest {

  static final AtomicReference<String> failAt = new AtomicReference<>();
  @RegisterExtension
  static final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE).systemClock()
      .configure(b -> b.checkpoint(step -> {
        if (step.equals(failAt.get())) throw new IllegalStateException("injected failure at " + step);
      }));
  static DataSource ds;
  static Engine engine;

  @BeforeAll
  static void setUp() {
    ds = engines.dataSource();
    engine = engines.engine();
  }

  @BeforeEach
  void reset() {
    failAt.set(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"start.process-inserted", "start.task-inserted"})
  void a_start_interrupted_between_statements_creates_nothing(String step) throws Exception {
    long before = count("process") + count("task") + count("journal");
    failAt.set(step);
    assertThatThrownBy(() -> engine.processes().start("divide", StartRequest.of(Json.read("{\"x\":1,\"y\":2}"))))
        .hasMessageContaining("injected failure");
    assertThat(count("process") + count("task") + count("journal")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report.task-finished", "report.next-task-inserted", "report.process-updated"})
  void a_completion_interrupted_between_statements_changes_nothing_and_can_be_reported_again(String step)
      throws Exception {
    ProcessView p = engine.processes().start("divide", StartRequest.of(Json.read("{\"x\":1,\"y\":2}"))).process();
    ClaimedTask t = engine.workers().poll("w", List.of("divide"), 1, Duration.ofSeconds(2)).getFirst();
    String snapshot = snapshot(p);

    failAt.set(step);
    assertThatThrownBy(() -> engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5)))
        .hasMessageContaining("injected failure");
    assertThat(snapshot(p)).isEqualTo(snapshot);

    failAt.set(null);
    ProcessView after = engine.workers().complete(t.id(), "ok", DoubleNode.valueOf(0.5)).process();
    assertThat(after.lastSeen().stage()).isEqualTo("ocean");
  }

  private String snapshot(ProcessView p) throws Exception {
    return query("select status || last_stage || attempts from process where id = '" + p.id() + "'")
        + "|" + query("select string_agg(status || stage, ',' order by ordinal) from task where process_id = '" + p.id() + "'")
        + "|" + query("select count(*) from journal_event where process_id = '" + p.id() + "'");
  }

  private long count(String table) throws Exception {
    return Long.parseLong(query("select count(*) from " + table));
  }

  private String query(String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
