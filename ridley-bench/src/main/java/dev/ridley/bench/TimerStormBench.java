package dev.ridley.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.StartRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A storm of short timers on several nodes: N attempts claimed at once and never heard of again,
 * so each ends by its one-second heartbeat timer, fired by whichever node's sweeper gets to it.
 * Lateness is how long after its due time each timer fired (from the journal: the timeout event's
 * time minus the claim time plus the heartbeat); every timer must fire exactly once.
 */
final class TimerStormBench {

  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private TimerStormBench() {}

  static Map<String, Object> run(String dbUrl, int timers, int nodes, Duration sweep) throws Exception {
    try (Rig rig = Rig.open(dbUrl, 16)) {
      List<Engine> engines = new ArrayList<>();
      engines.add(rig.engine());
      for (int i = 1; i < nodes; i++) {
        engines.add(Engine.builder(rig.pool()).pipelines(rig.engine().pipelines()).build());
      }
      try {
        Engine first = engines.getFirst();
        for (int i = 0; i < timers; i++) {
          first.processes().start(Rig.TIMERS, StartRequest.of(IntNode.valueOf(i)));
        }
        // Claim them all, as fast as one worker can; each claim starts its heartbeat timer, and the
        // sweepers are already running, as in production.
        engines.forEach(e -> e.startSweeper(sweep));
        long t0 = System.nanoTime();
        int claimed = 0;
        while (claimed < timers) {
          List<ClaimedTask> got = first.workers().poll("storm", List.of("hold"), 1000, Duration.ZERO);
          claimed += got.size();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (rig.count("select count(*) from process where pipeline = '" + Rig.TIMERS + "' and status = 'RUNNING'") > 0) {
          if (System.nanoTime() > deadline) throw new BenchException("timers did not all fire within 3 minutes");
          Thread.sleep(100);
        }
        double drainS = (System.nanoTime() - t0) / 1e9;
        List<Double> lateness = lateness(rig);
        long twice = rig.count("select count(*) from (select task_id from journal_event where type = 'task.timed_out'"
            + " group by task_id having count(*) > 1) x");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "timer-storm");
        out.put("nodes", nodes);
        out.put("timers", timers);
        out.put("sweep_ms", sweep.toMillis());
        out.put("fired", lateness.size());
        out.put("fired_twice", twice);
        out.put("lateness_p50_s", pct(lateness, 0.50));
        out.put("lateness_p99_s", pct(lateness, 0.99));
        out.put("lateness_max_s", pct(lateness, 1.0));
        out.put("bound_s", 2 * sweep.toMillis() / 1000.0 + 1);
        out.put("all_fired_s", Math.round(drainS * 100) / 100.0);
        return out;
      } finally {
        for (int i = 1; i < engines.size(); i++) engines.get(i).close();
      }
    }
  }

  private static List<Double> lateness(Rig rig) throws Exception {
    List<Double> out = new ArrayList<>();
    try (Connection c = rig.pool().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select extract(epoch from (j.at - (t.polled_at + interval '"
            + HEARTBEAT.toMillis() + " milliseconds'))) from journal_event j join task t on t.id = j.task_id"
            + " where j.type = 'task.timed_out' and t.pipeline = '" + Rig.TIMERS + "'")) {
      while (rs.next()) out.add(rs.getDouble(1));
    }
    out.sort(null);
    return out;
  }

  private static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return Math.round(sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) * 1000) / 1000.0;
  }
}
