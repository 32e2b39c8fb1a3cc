package dev.ridley.bench;

import dev.ridley.engine.pipeline.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A steady load for a long time (default 10 minutes at 100 three-stage processes per second, with
 * HTTP workers and the server in its own JVM), sampling the server's resident memory, threads,
 * heap and database connections every {@code sampleS} seconds. A leak shows as growth from the
 * first minute (after warm-up) to the last. Not part of CI.
 *
 * <p>Each sample also reads the size of the hot tables (process, task, journal: heap and indexes)
 * and their live and dead rows. With a {@code retention} (the server's {@code RIDLEY_RETENTION})
 * shorter than the soak, they should level off once processes are deleted as fast as they end,
 * and dead rows should stay a small share of the live ones (autovacuum keeps up).
 */
final class SoakBench {

  private SoakBench() {}

  /**
   * @param retention how long the server keeps ended processes; null: forever (the default)
   */
  static Map<String, Object> run(
      String dbUrl, Setup.Options o, int rate, int minutes, int sampleS, Duration retention) throws Exception {
    int n = rate * minutes * 60;
    Ledger ledger = new Ledger(n, PipelineBench.STAGES);
    try (Setup setup = Setup.open(dbUrl, o, retention)) {
      LatencyBench.Starter starter = starter(setup);
      Workers workers =
          new Workers(setup.protocol, "bench-soak", Rig.PIPELINE_STAGES, o.workers(), o.prefetch(),
              t -> {
                ledger.ran(Rig.PIPELINE_STAGES.indexOf(t.stage()) + 1, Setup.messageOf(t));
                return t.input();
              },
              t -> {
                if (t.stage().equals("stage3")) ledger.ended(Setup.messageOf(t));
              }).start();
      Probe probe = setup.probe();
      List<String> rows = new ArrayList<>();
      List<Probe.Sample> samples = new ArrayList<>();
      List<Long> connections = new ArrayList<>();
      Thread producer = Thread.ofPlatform().name("bench-soak-producer").start(() -> {
        try {
          LatencyBench.produce(starter, ledger, rate, n, i -> i);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      List<List<TableStats>> tables = new ArrayList<>();
      System.err.println("soak: t_s rss_mb heap_mb threads db_connections processes_done " + TableStats.header());
      long t0 = System.nanoTime();
      while (producer.isAlive()) {
        producer.join(TimeUnit.SECONDS.toMillis(sampleS));
        if (workers.failure() != null) throw new BenchException("a worker failed: " + workers.failure());
        Probe.Sample s = probe.sample();
        long conns = setup.rig.count("select count(*) from pg_stat_activity where application_name = '"
            + (setup.server == null ? "" : ServerNode.APPLICATION_NAME) + "'");
        long done = n - ledger.unfinished();
        List<TableStats> sizes = TableStats.sample(setup.rig);
        samples.add(s);
        connections.add(conns);
        tables.add(sizes);
        String row = String.format("%d %d %d %d %d %d", (System.nanoTime() - t0) / 1_000_000_000L,
            s.rssBytes() / 1048576, s.heapBytes() / 1048576, s.threads(), conns, done);
        for (TableStats t : sizes) row += " " + t.columns();
        rows.add(row);
        System.err.println("soak: " + row);
      }
      if (!PipelineBench.awaitOrFail(workers, () -> ledger.awaitEnded(200, TimeUnit.MILLISECONDS))) {
        throw new BenchException("soak: " + ledger.unfinished() + " of " + n + " processes unfinished");
      }
      workers.close();
      probe.close();
      ledger.verify();

      // Compare the sample after the first minute (warmed up) with the last one.
      int warm = Math.min(samples.size() - 1, Math.max(0, 60 / sampleS - 1));
      Probe.Sample first = samples.get(warm);
      Probe.Sample last = samples.getLast();
      Map<String, Object> m = PipelineBench.header("soak");
      m.put("rate", rate);
      m.put("minutes", minutes);
      m.put("processes", n);
      m.put("rss_mb_after_1min", first.rssBytes() / 1048576);
      m.put("rss_mb_end", last.rssBytes() / 1048576);
      m.put("rss_mb_max", samples.stream().mapToLong(Probe.Sample::rssBytes).max().orElse(0) / 1048576);
      m.put("threads_after_1min", first.threads());
      m.put("threads_end", last.threads());
      m.put("db_connections_after_1min", connections.get(warm));
      m.put("db_connections_end", connections.getLast());
      m.put("heap_mb_end", last.heapBytes() / 1048576);
      m.put("retention", retention == null ? "forever" : Durations.format(retention));
      for (int i = 0; i < TableStats.HOT_TABLES.size(); i++) {
        int table = i;
        TableStats atWarm = tables.get(warm).get(table);
        TableStats atEnd = tables.getLast().get(table);
        String t = atEnd.table();
        m.put(t + "_mb_after_1min", TableStats.mb(atWarm.totalBytes()));
        m.put(t + "_mb_end", TableStats.mb(atEnd.totalBytes()));
        m.put(t + "_mb_max", TableStats.mb(tables.stream().mapToLong(s -> s.get(table).totalBytes()).max().orElse(0)));
        m.put(t + "_index_mb_end", TableStats.mb(atEnd.indexBytes()));
        m.put(t + "_live_rows_end", atEnd.liveRows());
        m.put(t + "_dead_rows_end", atEnd.deadRows());
        m.put(t + "_dead_rows_max", tables.stream().mapToLong(s -> s.get(table).deadRows()).max().orElse(0));
      }
      m.putAll(PipelineBench.settings(o, setup));
      m.put("samples", String.join("; ", rows));
      return m;
    }
  }

  private static LatencyBench.Starter starter(Setup setup) {
    if (setup.protocol instanceof HttpProtocol http) {
      return i -> http.start(Rig.PIPELINE, Setup.payload(i));
    }
    return i -> setup.rig.engine().processes().start(Rig.PIPELINE, dev.ridley.engine.StartRequest.of(Setup.payload(i)));
  }
}
