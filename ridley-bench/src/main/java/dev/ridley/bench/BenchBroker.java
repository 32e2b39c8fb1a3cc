package dev.ridley.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The scratch RabbitMQ of {@code --workers amqp}: where it is, and emptying its Ridley queues before a run. */
final class BenchBroker {

  private BenchBroker() {}

  /**
   * {@code RIDLEY_AMQP_URL} (or the system property {@code ridley.amqp.url}, for tests), which must
   * name a broker on this machine (its queues are purged).
   */
  static String url() {
    String url = System.getProperty("ridley.amqp.url", System.getenv("RIDLEY_AMQP_URL"));
    if (url == null || url.isBlank()) {
      throw new BenchException("--workers amqp needs RIDLEY_AMQP_URL, a scratch RabbitMQ on this machine, e.g."
          + " amqp://guest:guest@127.0.0.1:5672/%2f (Debian: apt-get install rabbitmq-server)");
    }
    String host = URI.create(url.trim()).getHost();
    if (!List.of("127.0.0.1", "localhost", "[::1]").contains(host)) {
      throw new BenchException("RIDLEY_AMQP_URL is not on this machine; the bench purges Ridley's queues before"
          + " each run, so it only runs on a local scratch broker");
    }
    return url.trim();
  }

  /** Empties the bench pipeline's task queues and ridley.results, where they exist. */
  static void purge(String url, String pipeline, List<String> stages) {
    List<String> queues = new ArrayList<>();
    stages.forEach(s -> queues.add("ridley.tasks." + pipeline + "." + s));
    queues.add("ridley.results");
    ConnectionFactory f = new ConnectionFactory();
    try {
      f.setUri(url);
      try (Connection c = f.newConnection("ridley-bench")) {
        for (String q : queues) {
          // A missing queue closes the channel: one channel per queue.
          try (Channel ch = c.createChannel()) {
            ch.queuePurge(q);
          } catch (Exception missing) {
            // declared by the server at start
          }
        }
      }
    } catch (Exception e) {
      throw new BenchException("RabbitMQ at RIDLEY_AMQP_URL does not answer: " + e.getMessage(), e);
    }
  }
}
