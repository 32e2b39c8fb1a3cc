package dev.ridley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code ridley bench jmh [JMH options]}: the JMH micro-benchmarks of the hot path. */
@Command(
    name = "jmh",
    description = {
      "JMH micro-benchmarks (package dev.ridley.bench.jmh) on the database at RIDLEY_DB_URL.",
      "Arguments go to JMH as they are, e.g. 'ridley bench jmh ClaimComplete -f 1 -wi 2 -i 3'; '-h' lists JMH's options."
    })
final class JmhCommand implements Callable<Integer> {

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    run(args.toArray(String[]::new));
    return 0;
  }

  /** BenchCli hands {@code jmh ...} here before picocli parses it, so JMH sees its options as given. */
  static void run(String[] jmhArgs) throws Exception {
    org.openjdk.jmh.Main.main(jmhArgs);
  }
}
