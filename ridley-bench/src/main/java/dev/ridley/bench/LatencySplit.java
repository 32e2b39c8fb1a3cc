package dev.ridley.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where a start-to-handler latency goes, phase by phase, for every measured message of the
 * latency workload: the client's times (this JVM) joined with the times the engine stored on the
 * task (its start transaction's time, {@code enqueued_at}, and its claim's, {@code polled_at}).
 * Both sides read the same machine's wall clock, so the phases add up to the whole:
 *
 * <ol>
 *   <li>{@code to_engine}: start call made until the engine's start transaction took its time
 *       (the HTTP request, the edge's checks and parsing, waiting for a place in a shared commit);
 *   <li>{@code to_claim}: the start's time until the claim's: the start's commit, the wake-up,
 *       the waiting poll's claim statement;
 *   <li>{@code to_worker}: the claim's time until its poll answer reached the worker: the claim's
 *       commit and the answer's way back;
 *   <li>{@code to_handler}: the poll answer until the handler ran (a free handler slot, a thread).
 * </ol>
 *
 * <p>Also {@code start_call}: how long the start call took (answered after its commit).
 */
final class LatencySplit {

  private LatencySplit() {}

  /** Flat keys {@code split_<phase>_p50|p95|p99_ms} for the messages {@code [0, n)} of {@code pipeline}. */
  static Map<String, Object> of(DataSource db, String pipeline, Ledger ledger, int n) throws SQLException {
    Instant[] enqueued = new Instant[n];
    Instant[] claimed = new Instant[n];
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(
            "select (input->>'i')::int, enqueued_at, polled_at from task"
                + " where pipeline = ? and attempt = 1 and (input->>'i')::int between 0 and ?")) {
      s.setString(1, pipeline);
      s.setInt(2, n - 1);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int i = rs.getInt(1);
          enqueued[i] = rs.getTimestamp(2).toInstant();
          claimed[i] = rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant();
        }
      }
    }
    List<double[]> phases = List.of(new double[n], new double[n], new double[n], new double[n], new double[n]);
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (enqueued[i] == null || claimed[i] == null || ledger.receivedAt(i) == 0) continue;
      Instant started = ledger.wall(ledger.startedAt(i));
      phases.get(0)[k] = ms(started, enqueued[i]);
      phases.get(1)[k] = ms(enqueued[i], claimed[i]);
      phases.get(2)[k] = ms(claimed[i], ledger.wall(ledger.receivedAt(i)));
      phases.get(3)[k] = (ledger.handledAt(i) - ledger.receivedAt(i)) / 1e6;
      phases.get(4)[k] = (ledger.answeredAt(i) - ledger.startedAt(i)) / 1e6;
      k++;
    }
    List<String> names = List.of("to_engine", "to_claim", "to_worker", "to_handler", "start_call");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("split_messages", k);
    for (int p = 0; p < names.size(); p++) {
      double[] v = Arrays.copyOf(phases.get(p), k);
      Arrays.sort(v);
      for (int q : new int[] {50, 95, 99}) {
        out.put("split_" + names.get(p) + "_p" + q + "_ms", k == 0 ? 0.0 : Ledger.percentile(v, q / 100.0));
      }
    }
    return out;
  }

  private static double ms(Instant from, Instant to) {
    return java.time.Duration.between(from, to).toNanos() / 1e6;
  }

}
