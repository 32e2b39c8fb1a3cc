package dev.ridley.server.cli;

import dev.ridley.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether the demo can run the orders scenario over RabbitMQ: when a broker answers at {@code
 * RIDLEY_AMQP_URL} (or, unset, on this machine's port 5672), the demo loads the example pipelines
 * plus {@code pipelines-amqp/orders-amqp.yaml} and connects to it; otherwise it runs without, and
 * says how to get one.
 */
record DemoBroker(ServerConfig config, String note) {

  static final String LOCAL = "amqp://guest:guest@127.0.0.1:5672/%2f";
  static final String AMQP_ORDERS = "orders-amqp.yaml";

  static DemoBroker find(ServerConfig config, Path home) {
    String url = config.amqpUrl() != null ? config.amqpUrl() : LOCAL;
    URI uri = URI.create(url);
    String where = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5672);
    Path orders = home.resolve("pipelines-amqp").resolve(AMQP_ORDERS);
    if (!Files.isRegularFile(orders)) return new DemoBroker(config, null);
    if (!reachable(uri)) {
      return new DemoBroker(config, "RabbitMQ does not answer at " + where + ", so the orders scenario over"
          + " RabbitMQ (orders-amqp) is off. To see it, start one and run ./ridley demo again:\n"
          + "  sudo apt-get install rabbitmq-server      (Debian/Ubuntu; it starts on port 5672)\n"
          + "  docker run -d -p 5672:5672 rabbitmq:3     (anywhere with Docker)\n"
          + "or point RIDLEY_AMQP_URL at yours (amqp://user:password@host:5672/%2f).");
    }
    Path dir = withAmqpOrders(config.pipelines(), orders);
    return new DemoBroker(config.toBuilder().setPipelines(dir).setAmqpUrl(url).build(),
        "Orders over RabbitMQ (" + where + "): the same backlog in pipeline orders-amqp, its units published"
            + " to ridley.tasks.orders-amqp.order, at most 50 in the broker and the agents' hands at once:\n"
            + "  curl -s http://127.0.0.1:" + config.httpPort() + "/api/v1/pipelines/orders-amqp\n"
            + "  curl -s http://127.0.0.1:" + config.httpPort() + "/api/v1/pipelines/orders-amqp/stages/order/next\n"
            + "  pause/resume it (the go switch): POST /api/v1/pipelines/orders-amqp/pause, /resume");
  }

  private static boolean reachable(URI uri) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5672), 500);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** A folder with the example pipelines and the orders scenario over RabbitMQ. */
  private static Path withAmqpOrders(Path pipelines, Path orders) {
    try {
      Path dir = Files.createTempDirectory("ridley-demo-pipelines-");
      dir.toFile().deleteOnExit();
      try (Stream<Path> files = Files.list(pipelines)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
          dir.resolve(f.getFileName()).toFile().deleteOnExit();
        }
      }
      Files.copy(orders, dir.resolve(AMQP_ORDERS));
      dir.resolve(AMQP_ORDERS).toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the demo's pipelines: " + e.getMessage(), e);
    }
  }
}
