package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.testing.TestRabbit;
import dev.ridley.server.TestServers;
import dev.ridley.server.config.ServerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The demo runs the orders scenario over RabbitMQ when a broker answers, and says how to get one when not. */
class DemoBrokerTest {

  @Test
  void without_a_broker_the_demo_keeps_its_pipelines_and_says_how_to_get_one() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ServerConfig config = TestServers.config().toBuilder()
        .setAmqpUrl("amqp://guest:guest@127.0.0.1:" + closed + "/%2f").build();
    DemoBroker broker = DemoBroker.find(config, TestServers.repoRoot());
    assertThat(broker.config()).isEqualTo(config);
    assertThat(broker.note()).contains("orders-amqp").contains("apt-get install rabbitmq-server")
        .contains("RIDLEY_AMQP_URL");
  }

  @Test
  void with_a_broker_the_demo_adds_the_orders_scenario_over_rabbitmq() throws Exception {
    String url = TestRabbit.shared().url();
    ServerConfig config = TestServers.config().toBuilder().setAmqpUrl(url).build();
    DemoBroker broker = DemoBroker.find(config, TestServers.repoRoot());
    assertThat(broker.config().amqpUrl()).isEqualTo(url);
    assertThat(Files.list(broker.config().pipelines()).map(p -> p.getFileName().toString()))
        .contains("orders-amqp.yaml", "orders.yaml", "divide.yaml");
    assertThat(broker.note()).contains("ridley.tasks.orders-amqp.order");
    assertThat(DemoCommand.banner("http://127.0.0.1:8088", true, false, broker.note()))
        .contains("Orders over RabbitMQ").endsWith("Press Ctrl+C to stop.\n");
  }
}
