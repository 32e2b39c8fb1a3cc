package dev.ridley.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The peers' pipeline workload: N messages through three stages, no-op handlers, all inserted
 * first, then the drain is timed until the last stage-3 handler ran. Verified from both sides:
 * the handlers' counters, and the database (every process SUCCEEDED after exactly three attempts).
 */
final class PipelineBench {

  static final int STAGES = 3;
  static final long TIMEOUT_S = 540;

  private PipelineBench() {}

  /**
   * How the workload runs beyond the common options.
   *
   * @param nodes server nodes on the one database (HTTP mode), the workers spread evenly across them
   * @param bulkInsert whether the insert phase uses bulk starts ({@code startAll}) or one start per call
   * @param timerStorm whether the stages carry short heartbeat timeouts ({@code bench-storm.yaml}),
   *     so every node's sweeper looks for due timers on every stage through the drain
   */
  record Shape(int nodes, boolean bulkInsert, boolean timerStorm) {
    static final Shape DEFAULT = new Shape(1, true, false);
  }

  static Map<String, Object> run(String dbUrl, Setup.Options o, int n, int warmup) throws Exception {
    return run(dbUrl, o, n, warmup, Shape.DEFAULT);
  }

  /**
   * Runs the workload on {@code n} messages. With {@code warmup} > 0, the same workload first runs
   * on that many messages through the same engine (or server) and workers' code, unmeasured; the
   * tables are emptied again before the measured run. The peers' harness starts cold, so figures
   * with and without a warm-up are reported apart.
   */
  static Map<String, Object> run(String dbUrl, Setup.Options o, int n, int warmup, Shape shape) throws Exception {
    if (shape.nodes() > 1 && o.mode() != Setup.Mode.HTTP) {
      throw new BenchException("--nodes needs --workers http: in-process workers run in the one engine's JVM");
    }
    try (Setup setup = Setup.open(dbUrl, o)) {
      List<ServerNode> more = new ArrayList<>();
      List<Protocol> protocols = new ArrayList<>(List.of(setup.protocol));
      try {
        for (int i = 1; i < shape.nodes(); i++) {
          ServerNode node = ServerNode.childJvm(setup.rig, o.serverJvmOptions(), Map.of());
          more.add(node);
          protocols.add(new HttpProtocol(node.uri(), o.batch()));
        }
        if (warmup > 0) {
          drain(setup, o, warmup, shape, protocols);
          setup.rig.empty();
        }
        Map<String, Object> m = drain(setup, o, n, shape, protocols);
        m.put("warmup_messages", warmup);
        return m;
      } finally {
        for (int i = 1; i < protocols.size(); i++) protocols.get(i).close();
        more.forEach(ServerNode::close);
      }
    }
  }

  private static Map<String, Object> drain(Setup setup, Setup.Options o, int n, Shape shape, List<Protocol> protocols)
      throws Exception {
    if (o.mode() == Setup.Mode.AMQP) return drainOverAmqp(setup, o, n);
    Ledger ledger = new Ledger(n, STAGES);
    String pipeline = shape.timerStorm() ? Rig.STORM : Rig.PIPELINE;
    // A server sweeps on its own; this JVM's engine (in-process workers) only when asked.
    if (shape.timerStorm() && o.mode() == Setup.Mode.INPROC) setup.rig.engine().startSweeper(TimerStorm.SWEEP);
    {
      long t0 = System.nanoTime();
      setup.insert(pipeline, n, shape.bulkInsert());
      double insertS = (System.nanoTime() - t0) / 1e9;

      Probe probe = setup.probe().every(500);
      DbCpu dbCpu = DbCpu.of(setup.rig);
      double cpu0 = dbCpu.seconds();
      long tStart = System.nanoTime();
      // The handlers and prefetch are shared out over the nodes: as many in all as with one node.
      List<Workers> all = new ArrayList<>();
      for (int i = 0; i < protocols.size(); i++) {
        int share = Math.max(1, o.workers() / protocols.size() + (i < o.workers() % protocols.size() ? 1 : 0));
        int prefetch = Math.max(share, o.prefetch() / protocols.size());
        all.add(new Workers(protocols.get(i), "bench-" + o.mode().name().toLowerCase() + "-" + i, Rig.PIPELINE_STAGES,
            share, prefetch,
            t -> {
              int stage = Rig.PIPELINE_STAGES.indexOf(t.stage()) + 1;
              int message = Setup.messageOf(t);
              if (shape.timerStorm() && TimerStorm.goesSilent(n, message, stage, t.attempt())) return null;
              ledger.ran(stage, message);
              return t.input();
            },
            t -> {
              if (t.stage().equals("stage3")) ledger.ended(Setup.messageOf(t));
            }).start());
      }
      boolean done = awaitOrFail(all, () -> ledger.awaitLastStage(200, TimeUnit.MILLISECONDS));
      if (!done) {
        throw new BenchException("pipeline: timed out after " + TIMEOUT_S + " s with " + ledger.unfinished()
            + " of " + n + " messages unfinished");
      }
      double drainS = (ledger.lastHandledAt() - tStart) / 1e9;
      double cpu1 = dbCpu.seconds();
      awaitOrFail(all, () -> ledger.awaitEnded(200, TimeUnit.MILLISECONDS));
      double terminalS = (System.nanoTime() - tStart) / 1e9;
      all.forEach(Workers::stop);
      probe.close();

      ledger.verify();
      long succeeded = setup.rig.count("select count(*) from process where status = 'SUCCEEDED'");
      long firstAttempts = setup.rig.count(
          "select count(*) from task where status = 'SUCCEEDED' and attempt = 1");
      long pending = setup.rig.count(
          "select count(*) from task where status in ('QUEUED', 'RUNNING')");
      long tasks = setup.rig.count("select count(*) from task");
      long timersFired = setup.rig.count("select count(*) from journal_event where type = 'task.timed_out'");
      long firedTwice = setup.rig.count("select count(*) from (select task_id from journal_event"
          + " where type = 'task.timed_out' group by task_id having count(*) > 1) twice");
      long silent = shape.timerStorm() ? TimerStorm.silentAttempts(n) : 0;
      long timedOutFirstAttempts = setup.rig.count(
          "select count(*) from task where status = 'TIMED_OUT' and attempt = 1");
      if (succeeded != n || firstAttempts != (long) STAGES * n - silent || tasks != (long) STAGES * n + silent
          || timedOutFirstAttempts != silent) {
        throw new BenchException("database check failed: " + succeeded + " of " + n + " processes SUCCEEDED, "
            + tasks + " tasks (want " + (STAGES * n + silent) + "), " + firstAttempts
            + " succeeded first attempts (want " + (STAGES * n - silent) + "), " + timedOutFirstAttempts
            + " timed out first attempts (want " + silent + ")");
      }
      if (firedTwice > 0 || timersFired != silent) {
        throw new BenchException("timer check failed: " + timersFired + " timers fired (want " + silent + "), "
            + firedTwice + " attempts timed out more than once");
      }

      Map<String, Object> m = header("pipeline");
      m.put("messages", n);
      m.put("stages", STAGES);
      m.put("nodes", protocols.size());
      m.put("timer_storm", shape.timerStorm());
      m.put("insert", shape.bulkInsert() ? "bulk" : "single");
      m.put("insert_s", insertS);
      m.put("starts_per_s", n / insertS);
      m.put("drain_s", drainS);
      m.put("messages_per_s", n / drainS);
      m.put("transitions_per_s", STAGES * n / drainS);
      m.put("pending_in_db_after", pending);
      m.put("all_terminal_s", terminalS);
      m.put("silent_attempts", silent);
      m.put("timers_fired", timersFired);
      m.put("timers_fired_twice", firedTwice);
      m.put("db_cpu_s", cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
      m.put("db_cpu_per_1k_transitions_s", cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) * 1000 / (STAGES * n));
      m.putAll(settings(o, setup));
      m.put("engine_jvm_rss_max_mb", probe.maxRssBytes() / 1048576);
      m.put("engine_jvm_heap_max_mb", probe.maxHeapBytes() / 1048576);
      m.put("engine_jvm_threads_max", probe.maxThreads());
      return m;
    }
  }

  /** Waits for {@code wait}, failing early when a worker failed. */
  static boolean awaitOrFail(List<Workers> all, Wait wait) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      if (wait.done()) return true;
      for (Workers w : all) {
        if (w.failure() != null) throw new BenchException("a worker failed: " + w.failure(), w.failure());
      }
    }
    return false;
  }

  /**
   * The same workload with the Java SDK's workers over RabbitMQ: the server publishes each stage's
   * tasks from its outbox, the workers (concurrency = prefetch per queue) send started and result
   * messages to ridley.results, and the server applies them in batches. The drain is timed as in
   * the other modes, until the last stage-3 handler ran; all_terminal_s until the database has
   * every process SUCCEEDED.
   */
  private static Map<String, Object> drainOverAmqp(Setup setup, Setup.Options o, int n) throws Exception {
    Ledger ledger = new Ledger(n, STAGES);
    long t0 = System.nanoTime();
    setup.insert(Rig.PIPELINE, n);
    double insertS = (System.nanoTime() - t0) / 1e9;
    Probe probe = setup.probe().every(500);
    long tStart = System.nanoTime();
    dev.ridley.worker.RidleyWorker.Builder builder = dev.ridley.worker.RidleyWorker.builder(setup.serverUri())
        // The SDK's prefetch is its concurrency: a delivery stays unacked until its result is confirmed
        // by the broker, so --prefetch (tasks held unreported, as the HTTP workers' claims) sets both.
        .workerId("bench-amqp").concurrency(o.prefetch()).amqp(java.net.URI.create(setup.amqpUrl()));
    for (String stage : Rig.PIPELINE_STAGES) {
      int index = Rig.PIPELINE_STAGES.indexOf(stage) + 1;
      builder.handle(stage, t -> {
        ledger.ran(index, t.input().get("i").asInt());
        return t.input();
      });
    }
    double drainS;
    double terminalS;
    try (dev.ridley.worker.RidleyWorker workers = builder.build().start()) {
      if (!ledger.awaitLastStage(TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new BenchException("pipeline: timed out after " + TIMEOUT_S + " s with " + ledger.unfinished()
            + " of " + n + " messages unfinished");
      }
      drainS = (ledger.lastHandledAt() - tStart) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
      while (setup.rig.count("select count(*) from process where status = 'SUCCEEDED'") < n) {
        if (System.nanoTime() > deadline) throw new BenchException("pipeline: results not all applied in time");
        Thread.sleep(20);
      }
      terminalS = (System.nanoTime() - tStart) / 1e9;
    }
    probe.close();
    ledger.verify();
    long tasks = setup.rig.count("select count(*) from task");
    long firstAttempts = setup.rig.count("select count(*) from task where status = 'SUCCEEDED' and attempt = 1");
    if (tasks != (long) STAGES * n || firstAttempts != (long) STAGES * n) {
      throw new BenchException("database check failed: " + tasks + " tasks, " + firstAttempts
          + " succeeded first attempts (want " + STAGES * n + ")");
    }
    Map<String, Object> m = header("pipeline");
    m.put("messages", n);
    m.put("stages", STAGES);
    m.put("insert_s", insertS);
    m.put("drain_s", drainS);
    m.put("messages_per_s", n / drainS);
    m.put("transitions_per_s", STAGES * n / drainS);
    m.put("pending_in_db_after", setup.rig.count("select count(*) from task where status in ('QUEUED', 'RUNNING')"));
    m.put("all_terminal_s", terminalS);
    m.put("workers", o.prefetch());
    m.put("prefetch", o.prefetch());
    m.put("mode", "amqp");
    m.put("protocol", "amqp");
    m.put("complete", "batch");
    m.put("engine_jvm_rss_max_mb", probe.maxRssBytes() / 1048576);
    m.put("engine_jvm_heap_max_mb", probe.maxHeapBytes() / 1048576);
    m.put("engine_jvm_threads_max", probe.maxThreads());
    return m;
  }

  interface Wait {
    boolean done() throws InterruptedException;
  }

  /** Waits for {@code wait}, failing early when a worker failed. */
  static boolean awaitOrFail(Workers workers, Wait wait) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      if (wait.done()) return true;
      if (workers.failure() != null) {
        throw new BenchException("a worker failed: " + workers.failure(), workers.failure());
      }
    }
    return false;
  }

  static Map<String, Object> header(String workload) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peer", "ridley");
    m.put("version", BenchCli.VERSION);
    m.put("workload", workload);
    return m;
  }

  static Map<String, Object> settings(Setup.Options o, Setup setup) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workers", o.workers());
    m.put("prefetch", o.prefetch());
    m.put("mode", o.mode().name().toLowerCase());
    m.put("protocol", setup.protocol.name());
    m.put("complete", o.batch() ? "batch" : "single");
    return m;
  }
}
