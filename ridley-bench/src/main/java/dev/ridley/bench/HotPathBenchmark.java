package dev.ridley.bench;

import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.StartRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process hot path, without HTTP or a worker loop: claim up to {@code batch} tasks with one
 * poll and report each, on the real database at RIDLEY_DB_URL. The processes go round a two-stage
 * loop that never ends, so the supply of tasks is steady. The {@code tasks} counter is the figure:
 * stage transitions per second (each claimed task is completed and routed on).
 *
 * <pre>./ridley bench jmh HotPath -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-Dlogback.configurationFile=bench-logback.xml"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(4)
public class HotPathBenchmark {

  /** Tasks one poll may claim. */
  @Param({"16"})
  public int batch;

  /** Processes going round the loop: enough that every thread always finds work. */
  @Param({"2000"})
  public int processes;

  private Rig rig;
  private Engine engine;

  /** Transitions done by one benchmark thread; JMH reports their rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long tasks;

    @Setup(Level.Iteration)
    public void reset() {
      tasks = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    rig = Rig.open(System.getenv("RIDLEY_DB_URL"), 16);
    engine = rig.engine();
    for (int i = 0; i < processes; i++) engine.processes().start(Rig.LOOP, StartRequest.of(dev.ridley.bench.Setup.payload(i)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rig.close();
  }

  @Benchmark
  public int claimAndCompleteEach(Counts counts) throws InterruptedException {
    List<ClaimedTask> claimed =
        engine.workers().poll("jmh-" + Thread.currentThread().threadId(), Rig.LOOP_STAGES, batch, Duration.ZERO);
    for (ClaimedTask t : claimed) engine.workers().complete(t.id(), "ok", t.input());
    counts.tasks += claimed.size();
    return claimed.size();
  }
}
