package dev.ridley.bench;

import dev.ridley.engine.StartRequest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The peers' latency workload: an open-loop producer starts single-stage processes at R per
 * second for a fixed time (process i is due at t0 + i/R, whatever happened to the others), and
 * each one's start-to-handler and start-to-terminal times are taken in this JVM. Start time is
 * taken just before the start call, as the peers do. A warm-up at the same rate, not measured,
 * comes first.
 */
final class LatencyBench {

  private LatencyBench() {}

  static Map<String, Object> run(String dbUrl, Setup.Options o, int rate, int durationS, int warmupS)
      throws Exception {
    int n = rate * durationS;
    Ledger ledger = new Ledger(n, 1);
    try (Setup setup = Setup.open(dbUrl, o)) {
      Starter starter = starter(setup);
      Workers workers =
          new Workers(setup.protocol, "bench-latency", Rig.LATENCY_STAGES, o.workers(), o.prefetch(),
              t -> {
                int i = Setup.messageOf(t);
                if (i >= 0) ledger.ran(1, i);
                return t.input();
              },
              t -> {
                int i = Setup.messageOf(t);
                if (i >= 0) ledger.ended(i);
              }).onArrival(t -> {
                int i = Setup.messageOf(t);
                if (i >= 0) ledger.received(i);
              }).start();
      produce(starter, null, rate, rate * warmupS, i -> -1 - i);
      Probe probe = setup.probe().every(500);
      double produceS = produce(starter, ledger, rate, n, i -> i);
      if (!PipelineBench.awaitOrFail(workers, () -> ledger.awaitEnded(200, TimeUnit.MILLISECONDS))) {
        throw new BenchException("latency: " + ledger.unfinished() + " of " + n + " processes unfinished");
      }
      workers.close();
      probe.close();
      ledger.verify();

      double[] handler = ledger.toHandlerMs();
      double[] terminal = ledger.toTerminalMs();
      double sum = 0;
      for (double v : handler) sum += v;
      Map<String, Object> m = PipelineBench.header("latency");
      m.put("rate", rate);
      m.put("duration_s", durationS);
      m.put("jobs", n);
      m.put("achieved_rate", n / produceS);
      m.put("p50_ms", Ledger.percentile(handler, 0.50));
      m.put("p95_ms", Ledger.percentile(handler, 0.95));
      m.put("p99_ms", Ledger.percentile(handler, 0.99));
      m.put("max_ms", handler[n - 1]);
      m.put("mean_ms", sum / n);
      m.put("terminal_p50_ms", Ledger.percentile(terminal, 0.50));
      m.put("terminal_p95_ms", Ledger.percentile(terminal, 0.95));
      m.put("terminal_p99_ms", Ledger.percentile(terminal, 0.99));
      m.put("warmup_s", warmupS);
      m.putAll(LatencySplit.of(setup.rig.pool(), Rig.LATENCY, ledger, n));
      m.putAll(PipelineBench.settings(o, setup));
      m.put("engine_jvm_rss_max_mb", probe.maxRssBytes() / 1048576);
      return m;
    }
  }

  /** Starts one process whose payload carries message id {@code i}. */
  interface Starter {
    void start(int i) throws Exception;
  }

  static Starter starter(Setup setup) {
    if (setup.protocol instanceof HttpProtocol http) {
      return i -> http.start(Rig.LATENCY, Setup.payload(i));
    }
    return i -> setup.rig.engine().processes().start(Rig.LATENCY, StartRequest.of(Setup.payload(i)));
  }

  /**
   * Starts {@code count} processes at {@code rate} per second, each on its own virtual thread so
   * a slow start never delays the next one; returns the seconds it took to issue them all.
   */
  static double produce(Starter starter, Ledger ledger, int rate, int count,
      java.util.function.IntUnaryOperator id) throws InterruptedException {
    long period = 1_000_000_000L / rate;
    long t0 = System.nanoTime();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int k = 0; k < count; k++) {
        long due = t0 + k * period;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
        int i = id.applyAsInt(k);
        if (ledger != null) ledger.starting(i);
        calls.execute(() -> {
          try {
            starter.start(i);
            if (ledger != null) ledger.answered(i);
          } catch (Exception e) {
            System.err.println("bench: start " + i + " failed: " + e);
          }
        });
      }
      double issued = (System.nanoTime() - t0) / 1e9;
      return issued;
    }
  }
}
