package dev.ridley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ridley bench}: the peers' workloads against Ridley. The {@code ./ridley} launcher hands
 * {@code bench} to this main with this module's classpath (see docs/PERFORMANCE.md). Each workload
 * prints one JSON line on stdout, in the peers' format; everything else goes to stderr.
 */
@Command(
    name = "ridley bench",
    mixinStandardHelpOptions = true,
    version = "Ridley bench " + BenchCli.VERSION,
    description = {
      "Benchmarks Ridley with the workloads of ../shared/bench (db-scheduler, JobRunr, graphile-worker).",
      "Runs on the PostgreSQL at RIDLEY_DB_URL, a local scratch database whose Ridley tables are emptied first."
    },
    subcommands = {
      BenchCli.Pipeline.class,
      BenchCli.Latency.class,
      BenchCli.Soak.class,
      BenchCli.Timers.class,
      BenchCli.Starts.class,
      BenchCli.Counts.class,
      JmhCommand.class
    })
public final class BenchCli implements Runnable {

  static final String VERSION = "0.1.0";

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "bench-logback.xml");
    if (args.length > 0 && args[0].equals("jmh")) {
      JmhCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int code =
        new CommandLine(new BenchCli())
            .setExecutionExceptionHandler((e, cmd, parsed) -> {
              System.err.println("ridley bench: " + e.getMessage());
              if (!(e instanceof BenchException)) e.printStackTrace();
              return 1;
            })
            .execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Options every workload takes. */
  static class Common {
    @Option(names = "--workers", description = "Where workers run: inproc (the engine's JVM), http (another JVM than the server) or amqp (the SDK's workers over RabbitMQ at RIDLEY_AMQP_URL; pipeline only). Default: ${DEFAULT-VALUE}.", defaultValue = "http")
    String workers;

    @Option(names = "--concurrency", description = "Concurrent handlers. Default: ${DEFAULT-VALUE}, as the peers.", defaultValue = "16")
    int concurrency;

    @Option(names = "--prefetch", description = "Tasks a worker may hold claimed and unreported (>= concurrency), as graphile-worker's tuned local queue (500) and db-scheduler's lock-and-fetch (up to 4x its threads). Default: ${DEFAULT-VALUE}.", defaultValue = "500")
    int prefetch;

    @Option(names = "--complete", description = "How results are reported: single (one call/transaction each) or batch (group commit). Default: ${DEFAULT-VALUE}.", defaultValue = "batch")
    String complete;

    @Option(names = "--server-in-this-jvm", description = "HTTP mode: run the server in the bench's JVM instead of its own (tests).")
    boolean serverInThisJvm;

    @Option(names = "--server-jvm-opts", description = "JVM options of the server JVM. Default: ${DEFAULT-VALUE}.", defaultValue = "-Xms256m -Xmx1g")
    String serverJvmOpts;

    @Option(names = "--engine-metrics", description = "With --workers inproc: the engine reports to Prometheus meters (the server's EngineMetrics), as in a server; to measure their cost on the hot path (http mode always has them).")
    boolean engineMetrics;

    Setup.Options options() {
      Setup.Mode mode = switch (workers) {
        case "inproc" -> Setup.Mode.INPROC;
        case "http" -> Setup.Mode.HTTP;
        case "amqp" -> Setup.Mode.AMQP;
        default -> throw new CommandLine.ParameterException(new CommandLine(this), "--workers must be http, amqp or inproc, was " + workers);
      };
      boolean batch = switch (complete) {
        case "batch" -> true;
        case "single" -> false;
        default -> throw new CommandLine.ParameterException(new CommandLine(this), "--complete must be single or batch, was " + complete);
      };
      if (concurrency < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--concurrency must be at least 1");
      List<String> jvm = new ArrayList<>(List.of(serverJvmOpts.trim().split("\\s+")));
      jvm.removeIf(String::isBlank);
      return new Setup.Options(mode, concurrency, Math.max(prefetch, concurrency), batch, serverInThisJvm, jvm, engineMetrics);
    }
  }

  static void print(Map<String, Object> result) {
    System.out.println(JsonLine.of(result));
    System.out.flush();
  }

  static String dbUrl() {
    return System.getenv("RIDLEY_DB_URL");
  }

  @Command(name = "pipeline", mixinStandardHelpOptions = true,
      description = "N messages through 3 stages, inserted first, then the drain is timed.")
  static final class Pipeline extends Common implements Callable<Integer> {
    @Option(names = "--messages", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "20000")
    int messages;

    @Option(names = "--warmup-messages", description = "Messages through the same workload first, unmeasured (the JIT compiles the hot path), then the tables are emptied. Default: ${DEFAULT-VALUE} (cold, as the peers).", defaultValue = "0")
    int warmupMessages;

    @Option(names = "--nodes", description = "Server nodes on the one database (with --workers http), the workers spread across them. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    int nodes;

    @Option(names = "--insert", description = "How the messages are started before the drain: bulk (startAll, 1,000 per transaction) or single (one start per call). Default: ${DEFAULT-VALUE}.", defaultValue = "bulk")
    String insert;

    @Option(names = "--timer-storm", description = "Every stage has a short heartbeat timeout and a retry (bench-storm.yaml), and the workers go silent on the first attempt of 1 message in 200, so heartbeat timers fire on the nodes' sweepers during the drain; checks from the journal that each silent attempt timed out once and no timer fired twice.")
    boolean timerStorm;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 8) throw new CommandLine.ParameterException(new CommandLine(this), "--nodes must be 1 to 8, was " + nodes);
      boolean bulk = switch (insert) {
        case "bulk" -> true;
        case "single" -> false;
        default -> throw new CommandLine.ParameterException(new CommandLine(this), "--insert must be bulk or single, was " + insert);
      };
      print(PipelineBench.run(dbUrl(), options(), messages, warmupMessages, new PipelineBench.Shape(nodes, bulk, timerStorm)));
      return 0;
    }
  }

  @Command(name = "latency", mixinStandardHelpOptions = true,
      description = "Open-loop single-stage starts at R/s; start-to-handler and start-to-terminal percentiles.")
  static final class Latency extends Common implements Callable<Integer> {
    @Option(names = "--rate", description = "Starts per second. Default: ${DEFAULT-VALUE}.", defaultValue = "200")
    int rate;

    @Option(names = "--duration", description = "Measured seconds. Default: ${DEFAULT-VALUE}.", defaultValue = "20")
    int duration;

    @Option(names = "--warmup", description = "Seconds at the same rate before measuring. Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    int warmup;

    @Override
    public Integer call() throws Exception {
      print(LatencyBench.run(dbUrl(), options(), rate, duration, warmup));
      return 0;
    }
  }

  @Command(name = "soak", mixinStandardHelpOptions = true,
      description = "A steady rate of 3-stage processes for minutes; samples the server's RSS, heap, threads and DB connections, and the size and dead rows of the process, task and journal tables.")
  static final class Soak extends Common implements Callable<Integer> {
    @Option(names = "--rate", description = "Starts per second. Default: ${DEFAULT-VALUE}.", defaultValue = "100")
    int rate;

    @Option(names = "--minutes", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int minutes;

    @Option(names = "--sample", description = "Seconds between samples. Default: ${DEFAULT-VALUE}.", defaultValue = "30")
    int sample;

    @Option(names = "--retention", description = "How long the server keeps ended processes (RIDLEY_RETENTION), e.g. 30s, to watch the tables stay bounded. Default: kept forever.")
    String retention;

    @Option(names = "--plot", description = "The SVG file the samples are drawn to (throughput, p50/p99, table sizes, dead rows, RSS against time). Default: ${DEFAULT-VALUE}.", defaultValue = "soak.svg")
    java.nio.file.Path plot;

    @Override
    public Integer call() throws Exception {
      java.time.Duration keep = null;
      if (retention != null) {
        try {
          keep = dev.ridley.engine.pipeline.Durations.parse(retention);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(new CommandLine(this), "--retention: " + e.getMessage());
        }
      }
      print(SoakBench.run(dbUrl(), options(), rate, minutes, sample, keep, plot));
      return 0;
    }
  }

  @Command(name = "starts", mixinStandardHelpOptions = true,
      description = "Starts over HTTP, nothing else running: single starts from concurrent clients (grouped into shared commits by the server), then bulk starts of --batch processes per request; starts/s of each.")
  static final class Starts extends Common implements Callable<Integer> {
    @Option(names = "--clients", description = "Concurrent clients, each starting one process at a time. Default: ${DEFAULT-VALUE}.", defaultValue = "64")
    int clients;

    @Option(names = "--seconds", description = "Measured seconds of each phase. Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int seconds;

    @Option(names = "--batch", description = "Processes per bulk start request. Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
    int batch;

    @Option(names = "--batch-clients", description = "Concurrent clients sending bulk starts. Default: ${DEFAULT-VALUE}.", defaultValue = "4")
    int batchClients;

    @Option(names = "--ungrouped", description = "With --workers inproc: every single start a transaction of its own (the engine's groupStarts off), the rate before starts were grouped.")
    boolean ungrouped;

    @Override
    public Integer call() throws Exception {
      if (clients < 1 || seconds < 1 || batch < 1 || batch > 1000 || batchClients < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "--clients, --seconds and --batch-clients must be at least 1, --batch 1 to 1000");
      }
      if (ungrouped && !"inproc".equals(workers)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--ungrouped needs --workers inproc: the server always groups starts");
      }
      print(StartsBench.run(dbUrl(), options(), clients, seconds, batch, batchClients, !ungrouped));
      return 0;
    }
  }

  @Command(name = "counts", mixinStandardHelpOptions = true,
      description = "Fills the tables with N processes (set-based SQL), then times GET /api/v1/pipelines/{name} (the per-stage counts) over HTTP.")
  static final class Counts extends Common implements Callable<Integer> {
    @Option(names = "--processes", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1000000")
    int processes;

    @Option(names = "--requests", description = "Timed requests. Default: ${DEFAULT-VALUE}.", defaultValue = "200")
    int requests;

    @Override
    public Integer call() throws Exception {
      if (processes < 1 || requests < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--processes and --requests must be at least 1");
      }
      print(CountsBench.run(dbUrl(), options(), processes, requests));
      return 0;
    }
  }

  @Command(name = "timers", mixinStandardHelpOptions = true,
      description = "A storm of one-second heartbeat timers on several engine nodes sharing the database; reports how late they fired and that each fired once.")
  static final class Timers implements Callable<Integer> {
    @Option(names = "--timers", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "8000")
    int timers;

    @Option(names = "--nodes", description = "Engine nodes sweeping the same database. Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    int nodes;

    @Option(names = "--sweep-ms", description = "Each node's sweep interval. Default: ${DEFAULT-VALUE}.", defaultValue = "500")
    int sweepMs;

    @Override
    public Integer call() throws Exception {
      print(TimerStormBench.run(dbUrl(), timers, nodes, java.time.Duration.ofMillis(sweepMs)));
      return 0;
    }
  }
}
