package dev.ridley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A steady load for a long time (default 10 minutes at 100 three-stage processes per second, with
 * HTTP workers and the server in its own JVM), sampling the server's resident memory, threads,
 * heap and database connections every {@code sampleS} seconds. A leak shows as growth from the
 * first minute (after warm-up) to the last. Not part of CI.
 */
final class SoakBench {

  private SoakBench() {}

  static Map<String, Object> run(String dbUrl, Setup.Options o, int rate, int minutes, int sampleS)
      throws Exception {
    int n = rate * minutes * 60;
    Ledger ledger = new Ledger(n, PipelineBench.STAGES);
    try (Setup setup = Setup.open(dbUrl, o)) {
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
      System.err.println("soak: t_s rss_mb heap_mb threads db_connections processes_done");
      long t0 = System.nanoTime();
      while (producer.isAlive()) {
        producer.join(TimeUnit.SECONDS.toMillis(sampleS));
        if (workers.failure() != null) throw new BenchException("a worker failed: " + workers.failure());
        Probe.Sample s = probe.sample();
        long conns = setup.rig.count("select count(*) from pg_stat_activity where application_name = '"
            + (setup.server == null ? "" : ServerNode.APPLICATION_NAME) + "'");
        long done = n - ledger.unfinished();
        samples.add(s);
        connections.add(conns);
        String row = String.format("%d %d %d %d %d %d", (System.nanoTime() - t0) / 1_000_000_000L,
            s.rssBytes() / 1048576, s.heapBytes() / 1048576, s.threads(), conns, done);
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
