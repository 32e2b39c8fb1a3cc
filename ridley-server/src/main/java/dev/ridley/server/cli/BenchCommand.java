package dev.ridley.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ridley bench} as the server's CLI lists it. The benchmarks live in the ridley-bench
 * module, which depends on the server, so the {@code ./ridley} launcher runs them from that
 * module's classpath before this command is ever reached; here it only says so.
 */
@Command(
    name = "bench",
    description = {
      "Benchmarks against the peers (pipeline, latency, soak, jmh); see docs/PERFORMANCE.md.",
      "Run from a source checkout as ./ridley bench --help."
    })
final class BenchCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println(
        "ridley: the benchmarks are in the ridley-bench module; run them from a source checkout"
            + " with ./ridley bench --help (docs/PERFORMANCE.md)");
    return 2;
  }
}
