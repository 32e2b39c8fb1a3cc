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
      "RIDLEY_BIND, RIDLEY_PIPELINES, RIDLEY_MAX_PAYLOAD_BYTES (see docs/OPERATIONS.md);",
      "who may call: RIDLEY_AUTH_FILE, RIDLEY_OIDC_ISSUER, RIDLEY_TLS_CERT and RIDLEY_TLS_KEY (docs/SECURITY.md)."
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
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM (and SIGINT, where the JVM lets us have it: not in a background job that ignores it)
    // stops the node here, on the main thread, and the command answers 0: the JVM's own handling
    // would run the shutdown hooks and exit 143 (130), as if it had failed.
    onSignal("TERM", stop);
    onSignal("INT", stop);
    // Any other way the JVM ends (System.exit, or a signal left to the JVM) still stops the node.
    Thread hook = new Thread(server::close, "ridley-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stop.await();
    server.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // the JVM is on its way out anyway; the hook finds the node closed
    }
    return 0;
  }

  /** Counts {@code stop} down on the named signal; false when this JVM does not let us handle it. */
  @SuppressWarnings("removal")
  private static boolean onSignal(String name, CountDownLatch stop) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return false;
    }
  }
}
