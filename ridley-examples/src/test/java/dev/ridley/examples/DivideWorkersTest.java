package dev.ridley.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DivideWorkersTest {

  @Test
  void divide_returns_the_quotient_alone() throws Exception {
    assertThat(DivideWorkers.divide(new StubTask("divide", "{\"x\": 1, \"y\": 2}"))).isEqualTo(0.5);
  }

  @Test
  void divide_by_zero_throws_with_the_dividend_in_the_message() {
    assertThatThrownBy(() -> DivideWorkers.divide(new StubTask("divide", "{\"x\": 1, \"y\": 0}")))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("division by zero: 1 / 0");
  }

  @Test
  void divide_without_numbers_fails_without_retries() throws Exception {
    Object outcome = DivideWorkers.divide(new StubTask("divide", "{\"x\": \"one\"}"));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class, failed -> assertThat(failed.retryable()).isFalse());
  }

  @Test
  void divide_of_a_huge_x_stops_heartbeats_and_hangs_until_interrupted() throws Exception {
    StubTask task = new StubTask("divide", "{\"x\": 100000, \"y\": 2}");
    AtomicReference<Thread> runner = new AtomicReference<>();
    CompletableFuture<Object> result =
        CompletableFuture.supplyAsync(
            () -> {
              runner.set(Thread.currentThread());
              try {
                return DivideWorkers.divide(task);
              } catch (InterruptedException e) {
                return "interrupted";
              }
            });

    await().atMost(Duration.ofSeconds(5)).until(() -> task.heartbeatsStopped);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(1))
        .until(() -> !result.isDone());
    runner.get().interrupt();

    assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("interrupted");
  }

  @Test
  void ocean_and_errors_pass_their_input_on() throws Exception {
    StubTask task = new StubTask("ocean", "0.5");

    assertThat(DivideWorkers.passOn(task)).isEqualTo(new ObjectMapper().readTree("0.5"));
  }
}
