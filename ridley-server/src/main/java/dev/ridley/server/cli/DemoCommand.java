package dev.ridley.server.cli;

import dev.ridley.examples.DivideWorkers;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.config.ServerConfig;
import dev.ridley.worker.RidleyWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code ridley demo}: embedded PostgreSQL, a server, the example workers, and what to try. */
@Command(
    name = "demo",
    description = "Run the demo: embedded PostgreSQL, a server on port 8088 with the example pipelines, and example workers.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig config = ServerConfig.fromEnvironment(System.getenv());
    if (System.getenv("RIDLEY_PIPELINES") == null && !Files.isDirectory(config.pipelines())) {
      config = config.withPipelines(Path.of(System.getProperty("ridley.home", "."), "pipelines"));
    }
    RidleyServer server = Launch.start(config);
    if (server == null) {
      return 2;
    }
    RidleyWorker workers =
        DivideWorkers.register(RidleyWorker.builder(server.uri()).workerId("demo-divide")).build();
    workers.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      workers.close();
      server.close();
      stopped.countDown();
    }, "ridley-shutdown"));
    System.out.println(banner(server.uri().toString()));
    stopped.await();
    return 0;
  }

  static String banner(String url) {
    String start = "curl -s -X POST '" + url + "/api/v1/pipelines/divide/processes?waitMs=5000'"
        + " -H 'Content-Type: application/json' -d ";
    return String.join(
        "\n",
        "",
        "Ridley demo is running.",
        "  API:        " + url + "/api/v1/pipelines",
        "  Dashboard:  " + url + "/",
        "  Health:     " + url + "/health",
        "",
        "Divide 1 by 2 (succeeds: output 0.5, lastSeen ocean, SUCCEEDED):",
        "  " + start + "'{\"payload\":{\"x\":1,\"y\":2}}'",
        "",
        "Divide by zero (fails: routed to errors, process FAILED with the division error):",
        "  " + start + "'{\"payload\":{\"x\":1,\"y\":0}}'",
        "",
        "Where is it? " + url + "/api/v1/processes?pipeline=divide",
        "Press Ctrl+C to stop.",
        "");
  }
}
