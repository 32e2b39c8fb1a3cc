package dev.ridley.server.cli;

import dev.ridley.server.RidleyServer;
import dev.ridley.server.config.ServerConfig;
import dev.ridley.server.config.ServerConfigBuilder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ridley server}: one server node, configured by the environment. */
@Command(
    name = "server",
    description = {
      "Run a Ridley server node. Configuration comes from the environment:",
      "RIDLEY_DB_URL, RIDLEY_DB_USER, RIDLEY_DB_PASSWORD, RIDLEY_DATA_DIR, RIDLEY_HTTP_PORT,",
      "RIDLEY_BIND, RIDLEY_PIPELINES, RIDLEY_MAX_PAYLOAD_BYTES (see docs/OPERATIONS.md)."
    },
    mixinStandardHelpOptions = true)
final class ServerCommand implements Callable<Integer> {

  @Option(names = "--pipelines", paramLabel = "DIR", description = "Pipeline folder; overrides RIDLEY_PIPELINES.")
  Path pipelines;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; overrides RIDLEY_HTTP_PORT.")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfigBuilder builder = ServerConfig.fromEnvironment(System.getenv()).toBuilder();
    if (pipelines != null) builder.setPipelines(pipelines);
    if (port != null) builder.setHttpPort(port);
    ServerConfig config = builder.build();
    RidleyServer server = RidleyServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "ridley-shutdown"));
    stopped.await();
    return 0;
  }
}
