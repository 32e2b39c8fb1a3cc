package dev.ridley.bench;

import dev.ridley.engine.pipeline.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>Each sample also gives the interval's throughput (processes that ended in it, per second) and
 * the start-to-terminal p50 and p99 of those processes, from the {@link Ledger}'s times; at the end
 * the samples are drawn as an SVG file ({@link SoakPlot}), so "flat" can be seen at a glance.
 */
final class SoakBench {

  private SoakBench() {}

  /**
   * @param retention how long the server keeps ended processes; null: forever (the default)
   * @param plot the SVG file the samples are drawn to
   */
  static Map<String, Object> run(
      String dbUrl, Setup.Options o, int rate, int minutes, int sampleS, Duration retention, Path plot)
      throws Exception {
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
      List<SoakPlot.Point> points = new ArrayList<>();
      System.err.println("soak: t_s rss_mb heap_mb threads db_connections processes_done ended_per_s p50_ms p99_ms "
          + TableStats.header());
      long t0 = System.nanoTime();
      long intervalStart = t0;
      while (producer.isAlive()) {
        producer.join(TimeUnit.SECONDS.toMillis(sampleS));
        if (workers.failure() != null) throw new BenchException("a worker failed: " + workers.failure());
        long intervalEnd = System.nanoTime();
        double[] endedMs = ledger.toTerminalMsEndedBetween(intervalStart, intervalEnd);
        double perS = endedMs.length / ((intervalEnd - intervalStart) / 1e9);
        double p50 = endedMs.length == 0 ? Double.NaN : Ledger.percentile(endedMs, 0.50);
        double p99 = endedMs.length == 0 ? Double.NaN : Ledger.percentile(endedMs, 0.99);
        intervalStart = intervalEnd;
        Probe.Sample s = probe.sample();
        long conns = setup.rig.count("select count(*) from pg_stat_activity where application_name = '"
            + (setup.server == null ? "" : ServerNode.APPLICATION_NAME) + "'");
        long done = n - ledger.unfinished();
        List<TableStats> sizes = TableStats.sample(setup.rig);
        samples.add(s);
        connections.add(conns);
        tables.add(sizes);
        double tS = (intervalEnd - t0) / 1e9;
        String row = String.format(Locale.ROOT, "%d %d %d %d %d %d %.1f %s %s", Math.round(tS),
            s.rssBytes() / 1048576, s.heapBytes() / 1048576, s.threads(), conns, done, perS, ms(p50), ms(p99));
        for (TableStats t : sizes) row += " " + t.columns();
        points.add(new SoakPlot.Point(tS, perS, p50, p99, s.rssBytes() / 1048576.0,
            SoakPlot.sizesMb(sizes), SoakPlot.deadRows(sizes)));
        rows.add(row);
        System.err.println("soak: " + row);
      }
      // Drawn before the checks below, so a soak that fails them still leaves its plot.
      String title = String.format(Locale.ROOT, "Ridley soak: %d processes/s for %d min, %s workers, retention %s",
          rate, minutes, o.mode().name().toLowerCase(Locale.ROOT),
          retention == null ? "off" : Durations.format(retention));
      SoakPlot.write(plot, title, points);
      System.err.println("soak: plot " + plot.toAbsolutePath());
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
      SoakPlot.Point warmPoint = points.get(warm);
      m.put("ended_per_s_after_1min", round(warmPoint.throughputPerS()));
      m.put("ended_per_s_end", round(points.getLast().throughputPerS()));
      m.put("ended_per_s_min_after_1min", round(points.subList(warm, points.size()).stream()
          .mapToDouble(SoakPlot.Point::throughputPerS).min().orElse(0)));
      m.put("p99_ms_after_1min", round(warmPoint.p99Ms()));
      m.put("p99_ms_end", round(points.getLast().p99Ms()));
      m.put("p99_ms_max_after_1min", round(points.subList(warm, points.size()).stream()
          .mapToDouble(SoakPlot.Point::p99Ms).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN)));
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
      m.put("samples_columns", "t_s rss_mb heap_mb threads db_connections processes_done ended_per_s p50_ms p99_ms "
          + TableStats.header());
      m.put("samples", String.join("; ", rows));
      m.put("plot", plot.toAbsolutePath().toString());
      return m;
    }
  }

  /** A figure in ms with one decimal, or "-" when the interval had none. */
  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  /** One decimal for the JSON line; null when there was nothing to measure. */
  private static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
  }

  private static LatencyBench.Starter starter(Setup setup) {
    if (setup.protocol instanceof HttpProtocol http) {
      return i -> http.start(Rig.PIPELINE, Setup.payload(i));
    }
    return i -> setup.rig.engine().processes().start(Rig.PIPELINE, dev.ridley.engine.StartRequest.of(Setup.payload(i)));
  }
}
