package dev.ridley.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@code amqp(URI)} on an HTTP-only class path: the SDK itself never needs the RabbitMQ client. */
class AmqpOptionTest {

  @Test
  void amqp_without_the_amqp_module_fails_at_build_naming_the_module_to_add() {
    RidleyWorker.Builder b = RidleyWorker.builder(URI.create("http://127.0.0.1:8088"))
        .amqp(URI.create("amqp://guest:guest@127.0.0.1:5672/%2f")).handle("divide", t -> 1);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.ridley:ridley-worker-amqp");
  }

  @Test
  void a_broker_uri_that_is_not_amqp_is_refused() {
    assertThatThrownBy(() -> RidleyWorker.builder(URI.create("http://127.0.0.1:8088"))
        .amqp(URI.create("http://127.0.0.1:5672"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amqp://");
  }
}
