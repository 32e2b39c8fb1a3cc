package dev.ridley.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.server.RidleyServer;
import dev.ridley.engine.testing.TestRabbit;
import dev.ridley.server.TestServers;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.ProcessStatus;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.StartRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ridley-examples/python/amqp_worker.py (pika only) runs the divide pipeline over a real RabbitMQ. */
class PythonAmqpWorkerTest {

  static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void the_python_worker_divides_over_rabbitmq_and_a_division_by_zero_fails_the_process(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    TestRabbit rabbit = TestRabbit.shared();
    Path script = TestServers.repoRoot().resolve("ridley-examples/python/amqp_worker.py");
    assertThat(script).exists();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder()
            .setPipelines(TestServers.repoRoot().resolve("pipelines-amqp")).setAmqpUrl(rabbit.url()).build());
         RidleyClient client = RidleyClient.create(server.uri())) {
      Path log = dir.resolve("python.log");
      Process python = new ProcessBuilder(PYTHON.toString(), script.toString(), "--url", rabbit.url(),
          "--worker", "py-1").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        UUID half = client.start("divide", StartRequest.of(Map.of("x", 3, "y", 4))).process().id();
        UUID zero = client.start("divide", StartRequest.of(Map.of("x", 1, "y", 0))).process().id();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get(half).orElseThrow().status().isTerminal()
            && client.get(zero).orElseThrow().status().isTerminal());
        ProcessInfo ok = client.get(half).orElseThrow();
        assertThat(ok.status()).as(Files.readString(log)).isEqualTo(ProcessStatus.SUCCEEDED);
        assertThat(ok.output().asDouble()).isEqualTo(0.75);
        ProcessInfo failed = client.get(zero).orElseThrow();
        assertThat(failed.status()).isEqualTo(ProcessStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo("ZeroDivisionError");
        assertThat(failed.attempts()).as("ZeroDivisionError is not retried").isEqualTo(2);
        assertThat(server.engine().processes().events(half)).anySatisfy(e -> {
          assertThat(e.type()).isEqualTo("task.claimed");
          assertThat(e.data().path("worker").asText()).isEqualTo("py-1");
        });
      } finally {
        python.destroy();
        if (!python.waitFor(10, TimeUnit.SECONDS)) python.destroyForcibly();
      }
    }
  }
}
