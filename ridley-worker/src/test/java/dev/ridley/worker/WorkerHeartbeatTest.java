package dev.ridley.worker;

import static dev.ridley.worker.WorkerResultsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.worker.FakeRidley.Answer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkerHeartbeatTest {

  @RegisterExtension final FakeRidley ridley = new FakeRidley();
  private RidleyWorker worker;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void a_running_handler_heartbeats_at_a_third_of_the_stage_heartbeat_timeout() {
    UUID task = ridley.enqueue("divide", json("{}"), 150L);
    worker =
        builder()
            .handle(
                "divide",
                t -> {
                  // Returns only once heartbeats arrived: at 50 ms, well within 5 s.
                  await()
                      .atMost(Duration.ofSeconds(5))
                      .until(() -> ridley.requestsFor(t.id(), "heartbeat").size() >= 3);
                  return "alive";
                })
            .build()
            .start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ridley.requestsFor(task, "complete").size() == 1);
  }

  @Test
  void a_409_on_heartbeat_abandons_the_attempt_and_its_result_is_sent_once_then_dropped() {
    ridley.route("POST /api/v1/tasks/.*/heartbeat", r -> Answer.problem(409, "not current"));
    ridley.route("POST /api/v1/tasks/.*/complete", r -> Answer.problem(409, "not current"));
    UUID task = ridley.enqueue("divide", json("{}"));
    try (LogCapture logs = new LogCapture()) {
      worker =
          builder()
              .heartbeatInterval(Duration.ofMillis(20))
              .handle(
                  "divide",
                  t -> {
                    await().atMost(Duration.ofSeconds(5)).until(t::isAbandoned);
                    return "too late";
                  })
              .build()
              .start();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ridley.requestsFor(task, "complete").size() == 1);
      worker.close();

      assertThat(ridley.requestsFor(task, "heartbeat")).hasSize(1);
      assertThat(ridley.requestsFor(task, "complete")).hasSize(1);
      assertThat(ridley.requestsFor(task, "fail")).isEmpty();
      assertThat(logs.warningsAbout(task.toString())).hasSize(1);
    }
  }

  @Test
  void after_stop_heartbeats_no_heartbeat_is_sent_for_the_attempt() {
    UUID task = ridley.enqueue("divide", json("{}"));
    CountDownLatch stopped = new CountDownLatch(1);
    worker =
        builder()
            .heartbeatInterval(Duration.ofMillis(200))
            .handle(
                "divide",
                t -> {
                  t.stopHeartbeats();
                  stopped.countDown();
                  release.await();
                  return "silent";
                })
            .build()
            .start();

    await().atMost(Duration.ofSeconds(5)).until(() -> stopped.getCount() == 0);
    // Three intervals pass without a heartbeat.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(() -> ridley.requestsFor(task, "heartbeat").isEmpty());
    release.countDown();
    worker.close();

    assertThat(ridley.requestsFor(task, "heartbeat")).isEmpty();
    assertThat(ridley.requestsFor(task, "complete")).hasSize(1);
  }

  private RidleyWorker.Builder builder() {
    return ridley.worker("heartbeat-test");
  }
}
