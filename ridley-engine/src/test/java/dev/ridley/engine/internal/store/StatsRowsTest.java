package dev.ridley.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.Engine;
import dev.ridley.engine.StageCounts;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-stage counts read the backlog, not the history: with many ended tasks in the table, the
 * queued and running ones are counted from their indexes alone, and two pipelines that share stage
 * names are counted apart.
 */
class StatsRowsTest {

  static DataSource ds;
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @BeforeAll
  static void setUp() throws Exception {
    ds = TestDatabase.fresh();
    Engine.migrate(ds);
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      // 30,000 ended processes of "left" (one task each); a backlog of queued and running tasks in
      // "left" and, under the same stage names, in "right".
      fill(st, "left", 30_000, "case when g % 100 = 0 then 'QUEUED' when g % 150 = 1 then 'RUNNING' else 'SUCCEEDED' end");
      fill(st, "right", 60, "case when g % 2 = 0 then 'QUEUED' else 'RUNNING' end");
      st.execute("vacuum analyze process, task");
    }
  }

  private static void fill(Statement st, String pipeline, int n, String taskStatus) throws Exception {
    st.execute("create temporary table fill as select g, gen_random_uuid() as id, gen_random_uuid() as task, "
        + taskStatus + " as status, 's' || (1 + g % 2) as stage from generate_series(1, " + n + ") g");
    st.execute("insert into process (id, pipeline, payload, status, last_stage, last_seen_at, created_at,"
        + " deadline_at, finished_at, current_task, attempts)"
        + " select id, '" + pipeline + "', '{}', case when status = 'SUCCEEDED' then 'SUCCEEDED' else 'RUNNING' end,"
        + " stage, now(), now(), now() + interval '1 hour',"
        + " case when status = 'SUCCEEDED' then now() end, task, 1 from fill");
    st.execute("insert into task (id, process_id, pipeline, stage, attempt, ordinal, status, input, enqueued_at,"
        + " visible_at, stage_started_at, polled_at, finished_at, outcome)"
        + " select task, id, '" + pipeline + "', stage, 1, 1, status, '{}', now(),"
        + " timestamptz '2026-11-29T11:00:00Z' + g * interval '1 second', now(),"
        + " case when status <> 'QUEUED' then now() end, case when status = 'SUCCEEDED' then now() end,"
        + " case when status = 'SUCCEEDED' then 'ok' end from fill");
    st.execute("drop table fill");
  }

  private static Pipeline pipeline(String name) {
    return PipelineLoader.parse("""
        name: %s
        stages:
          s1: {}
          s2: {}
        routes:
          - s1.ok -> s2
        """.formatted(name), name + ".yaml");
  }

  @Test
  void queued_and_running_tasks_are_counted_by_index_only_scans_of_their_partial_indexes() throws Exception {
    String plan;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // Whether the planner prefers the index-only path depends on how much of the table vacuum
        // has marked all-visible yet, which other databases' transactions on this test server can
        // hold back; what is checked here is that the path exists: with plain index scans, bitmap
        // scans and sequential scans priced out, the plan is index-only unless the indexes lack a
        // column the statement needs.
        st.execute("set local enable_indexscan = off");
        st.execute("set local enable_bitmapscan = off");
        st.execute("set local enable_seqscan = off");
      }
      try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers, format json) " + StatsRows.COUNTS)) {
        ps.setObject(1, Sql.ts(NOW));
        for (int i = 2; i <= 5; i++) ps.setString(i, "left");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          plan = rs.getString(1);
        }
      }
      c.rollback();
    }

    // An index-only scan still visits the heap for pages vacuum has not marked all-visible yet
    // (recent writes), so the heap fetches are not asserted: the plan's shape is.
    assertThat(plan)
        .contains("\"Node Type\": \"Index Only Scan\"")
        .contains("\"Index Name\": \"task_ready\"")
        .contains("\"Index Name\": \"task_running\"")
        .doesNotContainPattern("\"Node Type\": \"(Index Scan|Seq Scan|Bitmap Heap Scan)\",[^}]*\"Relation Name\": \"task\"");
  }

  @Test
  void pipelines_that_share_stage_names_are_counted_apart() {
    Map<String, StageCounts> left = new Db(ds).read(c -> StatsRows.stageCounts(c, pipeline("left"), NOW));
    Map<String, StageCounts> right = new Db(ds).read(c -> StatsRows.stageCounts(c, pipeline("right"), NOW));

    // left: g % 100 = 0 queued (300, all even g: stage s1), g % 150 = 1 running (200, odd g: s2).
    assertThat(left.get("s1").queued()).isEqualTo(300);
    assertThat(left.get("s2").queued()).isZero();
    assertThat(left.get("s2").running()).isEqualTo(200);
    assertThat(left.get("s1").succeeded() + left.get("s2").succeeded()).isEqualTo(30_000 - 300 - 200);
    assertThat(right.get("s1").queued()).isEqualTo(30);
    assertThat(right.get("s2").running()).isEqualTo(30);
    assertThat(right.get("s1").succeeded()).isZero();
    // The oldest visible queued task of s1 in left is g = 100, enqueued at 11:00:00 + 100 s.
    assertThat(left.get("s1").oldestQueued()).isEqualTo(Duration.ofHours(1).minusSeconds(100));
  }
}
