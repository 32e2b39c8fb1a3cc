package dev.ridley.bench;

import dev.ridley.engine.StageCounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;

/**
 * The per-stage counts at scale: fills the tables with N processes of the pipeline workload in a
 * few set-based statements (99.9% ended, as SUCCEEDED, FAILED, LOST or PARKED at one of the three
 * stages, each with its task; 0.1% still RUNNING with a QUEUED task, a backlog), then times {@code
 * GET /api/v1/pipelines/bench} (the counts the dashboard shows too) over HTTP, and for reference
 * the count of the process table that the counts were read from before migration V10. Checks that
 * the answer's counts equal that count.
 */
final class CountsBench {

  private CountsBench() {}

  static Map<String, Object> run(String dbUrl, Setup.Options o, int processes, int requests) throws Exception {
    try (Setup setup = Setup.open(dbUrl, o)) {
      long t0 = System.nanoTime();
      fill(setup.rig, processes);
      double fillS = (System.nanoTime() - t0) / 1e9;

      URI uri = setup.server != null ? setup.server.uri() : null;
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      double[] ms = new double[requests];
      String last = null;
      for (int i = -Math.min(20, requests); i < requests; i++) { // the first ones unmeasured: connections, JIT
        long s = System.nanoTime();
        if (uri != null) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/api/v1/pipelines/" + Rig.PIPELINE))
              .build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) throw new BenchException("GET /api/v1/pipelines/bench answered " + r.statusCode());
          last = r.body();
        } else {
          last = Long.toString(sumEnded(setup.rig.engine().operations().stageCounts(Rig.PIPELINE)));
        }
        if (i >= 0) ms[i] = (System.nanoTime() - s) / 1e6;
      }
      http.close();
      Arrays.sort(ms);

      long s = System.nanoTime();
      long ended = setup.rig.count("select sum(n) from (select last_stage, status, count(*) as n from process"
          + " where pipeline = '" + Rig.PIPELINE + "' and status <> 'RUNNING' group by last_stage, status) c");
      double countMs = (System.nanoTime() - s) / 1e6;
      long answered = uri != null ? sumEnded(last) : Long.parseLong(last);
      if (answered != ended) {
        throw new BenchException("the counts answered " + answered + " ended processes; the table holds " + ended);
      }

      Map<String, Object> m = PipelineBench.header("counts");
      m.put("mode", o.mode().name().toLowerCase());
      m.put("processes", processes);
      m.put("fill_s", fillS);
      m.put("requests", requests);
      m.put("p50_ms", Ledger.percentile(ms, 0.50));
      m.put("p99_ms", Ledger.percentile(ms, 0.99));
      m.put("max_ms", ms[requests - 1]);
      m.put("ended_counted", ended);
      m.put("count_query_ms", countMs);
      return m;
    }
  }

  /** Adds the ended counts of every stage, as the engine answers them in this JVM. */
  private static long sumEnded(Map<String, StageCounts> counts) {
    return counts.values().stream()
        .mapToLong(c -> c.succeeded() + c.failed() + c.parked() + c.lost() + c.cancelled())
        .sum();
  }

  /** Adds the ended counts of every stage in a pipeline's JSON answer. */
  private static long sumEnded(String json) throws Exception {
    if (json == null || !json.startsWith("{")) return -1;
    long sum = 0;
    for (var stage : HttpProtocol.JSON.readTree(json).path("stages")) {
      var c = stage.path("counts");
      for (String k : new String[] {"succeeded", "failed", "parked", "lost", "cancelled"}) sum += c.path(k).asLong();
    }
    return sum;
  }

  /** N processes with one task each, in two statements; the counts' triggers see them as any insert. */
  static void fill(Rig rig, int n) throws SQLException {
    String status = "case when g % 1000 = 0 then 'RUNNING' when g % 50 = 1 then 'FAILED' when g % 97 = 2 then 'LOST'"
        + " when g % 89 = 3 then 'PARKED' else 'SUCCEEDED' end";
    try (Connection c = rig.pool().getConnection(); Statement st = c.createStatement()) {
      st.execute("create temporary table fill as select g, gen_random_uuid() as id, gen_random_uuid() as task, "
          + status + " as status, 'stage' || (1 + g % 3) as stage from generate_series(1, " + n + ") g");
      st.execute("insert into process (id, pipeline, payload, status, last_stage, last_seen_at, created_at,"
          + " deadline_at, finished_at, current_task, attempts)"
          + " select id, '" + Rig.PIPELINE + "', jsonb_build_object('i', g), status, stage, now(), now(),"
          + " now() + interval '1 hour', case when status = 'RUNNING' then null else now() end, task, 1 from fill");
      st.execute("insert into task (id, process_id, pipeline, stage, attempt, ordinal, status, input, enqueued_at,"
          + " visible_at, stage_started_at, polled_at, finished_at, outcome)"
          + " select task, id, '" + Rig.PIPELINE + "', stage, 1, 1,"
          + " case when status = 'RUNNING' then 'QUEUED' when status = 'SUCCEEDED' then 'SUCCEEDED' else 'FAILED' end,"
          + " jsonb_build_object('i', g), now(), now(), now(),"
          + " case when status = 'RUNNING' then null else now() end, case when status = 'RUNNING' then null else now() end,"
          + " case when status = 'RUNNING' then null when status = 'SUCCEEDED' then 'ok' else 'failed' end from fill");
      st.execute("drop table fill");
      st.execute("vacuum analyze process, task, stage_count_delta");
    }
  }
}
