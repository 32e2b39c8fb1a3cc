package dev.ridley.server.cli;

import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
      config = config.toBuilder().setPipelines(Path.of(System.getProperty("ridley.home", "."), "pipelines")).build();
    }
    String amqpNote = null;
    if (System.getenv("RIDLEY_PIPELINES") == null) {
      DemoBroker broker = DemoBroker.find(config, Path.of(System.getProperty("ridley.home", ".")));
      config = broker.config();
      amqpNote = broker.note();
    }
    DemoKeys keys = config.security().authFile() == null ? null : DemoKeys.create(config.security().authFile());
    RidleyServer server = RidleyServer.start(config);
    Set<String> loaded = server.pipelines().stream().map(Pipeline::name).collect(Collectors.toSet());
    URI amqp = config.amqpUrl() == null ? null : URI.create(config.amqpUrl());
    DemoScenarios scenarios = DemoScenarios.start(server.uri(), loaded, amqp, System.out, keys);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scenarios.close();
      server.close();
      stopped.countDown();
    }, "ridley-shutdown"));
    if (keys != null) System.out.println(keys.banner(config.security().authFile()));
    System.out.println(banner(server.uri().toString(), scenarios.hasOrders(), scenarios.hasFailover(), amqpNote));
    if (scenarios.hasOrders()) {
      scenarios.startOrders();
    }
    scenarios.console(System.in);
    stopped.await();
    return 0;
  }

  static String banner(String url, boolean orders, boolean failover) {
    return banner(url, orders, failover, null);
  }

  /** @param amqpNote what the demo says about the orders scenario over RabbitMQ; null: nothing */
  static String banner(String url, boolean orders, boolean failover, String amqpNote) {
    String start = "curl -s -X POST '" + url + "/api/v1/pipelines/divide/processes?waitMs=5000'"
        + " -H 'Content-Type: application/json' -d ";
    List<String> lines = new ArrayList<>(List.of(
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
        "A worker that goes silent (x >= 100000): LOST within a minute, lostReason TASK_HEARTBEAT_TIMEOUT:",
        "  " + start.replace("?waitMs=5000", "") + "'{\"payload\":{\"x\":100000,\"y\":1}}'",
        "",
        "Where is it? " + url + "/api/v1/processes?pipeline=divide",
        "Its whole story as a tree: ./ridley tree <process-id>   (or " + url + "/processes/<process-id>)"));
    if (orders) {
      lines.addAll(List.of(
          "",
          "Orders: " + DemoScenarios.BACKLOG + " work units start now; " + DemoScenarios.AGENTS
              + " agents could take " + DemoScenarios.AGENTS * DemoScenarios.AGENT_CONCURRENCY
              + " at once, maxInFlight lets them have 50. Watch queued/running per stage:",
          "  curl -s " + url + "/api/v1/pipelines/orders",
          "  type 'orders' + Enter here for another " + DemoScenarios.BACKLOG));
    }
    if (failover) {
      lines.addAll(List.of(
          "",
          "Failover: outputs on ports 9101, 9102, 9103 print what they receive. Send a message:",
          "  curl -s -X POST " + url + "/api/v1/pipelines/failover/processes -H 'Content-Type: application/json'"
              + " -d '{\"payload\":{\"message\":\"hello\"}}'",
          "  type 'down 1' + Enter: messages go to output 2; 'down 2', 'down 3': they park;",
          "  'up 1': 10 s after the last park they are replayed and delivered.",
          "  Parked: " + url + "/api/v1/processes?pipeline=failover&status=PARKED"));
    }
    if (amqpNote != null) lines.addAll(List.of("", amqpNote));
    lines.addAll(List.of("", "Press Ctrl+C to stop.", ""));
    return String.join("\n", lines);
  }
}
