package dev.ridley.worker;

import static dev.ridley.worker.WorkerResultsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ridley.worker.FakeRidley.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkerLifecycleTest {

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
  void close_waits_for_the_running_handler_to_finish_and_report() throws Exception {
    UUID task = ridley.enqueue("divide", json("{}"));
    CountDownLatch running = new CountDownLatch(1);
    worker =
        builder()
            .handle(
                "divide",
                t -> {
                  running.countDown();
                  release.await();
                  return "finished";
                })
            .build()
            .start();
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !closing.isDone());
    release.countDown();
    closing.get(5, TimeUnit.SECONDS);

    assertThat(ridley.requestsFor(task, "complete")).hasSize(1);
  }

  @Test
  void close_cuts_a_long_poll_short_instead_of_waiting_for_it() {
    worker = builder().pollWait(Duration.ofSeconds(60)).handle("divide", t -> null).build().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !ridley.requests("/tasks/poll").isEmpty());

    assertTimeoutPreemptively(Duration.ofSeconds(5), worker::close);
  }

  @Test
  void close_interrupts_handlers_still_running_after_the_shutdown_timeout_and_reports_nothing() {
    UUID task = ridley.enqueue("divide", json("{}"));
    CountDownLatch running = new CountDownLatch(1);
    worker =
        builder()
            .shutdownTimeout(Duration.ofMillis(100))
            .handle(
                "divide",
                t -> {
                  running.countDown();
                  new CountDownLatch(1).await();
                  return "never";
                })
            .build()
            .start();
    await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);

    worker.close();

    assertThat(ridley.requestsFor(task, "complete")).isEmpty();
    assertThat(ridley.requestsFor(task, "fail")).isEmpty();
  }

  @Test
  void concurrency_bounds_the_handlers_in_flight_and_each_poll_asks_only_for_free_slots() {
    List<UUID> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(ridley.enqueue(i % 2 == 0 ? "divide" : "ocean", json(Integer.toString(i))));
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    TaskHandler handler =
        t -> {
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            release.await();
            return t.input();
          } finally {
            inFlight.decrementAndGet();
          }
        };
    worker = builder().concurrency(3).handle("divide", handler).handle("ocean", handler).build();
    worker.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.get() == 3);
    int pollsWhileFull = ridley.requests("/tasks/poll").size();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> ridley.requests("/tasks/poll").size() == pollsWhileFull);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> ridley.results().size() == 10);

    assertThat(mostInFlight.get()).isEqualTo(3);
    assertThat(ridley.requests("/tasks/poll").get(0).body().get("max").asInt()).isEqualTo(3);
    assertThat(ridley.requests("/tasks/poll"))
        .allSatisfy(poll -> assertThat(poll.body().get("max").asInt()).isBetween(1, 3));
    assertThat(ridley.requests("/tasks/poll").get(0).body().get("stages"))
        .isEqualTo(json("[\"divide\", \"ocean\"]"));
  }

  @Test
  void polling_goes_on_through_a_server_outage_and_logs_it_once() {
    AtomicInteger refusals = new AtomicInteger();
    ridley.route(
        "POST /api/v1/tasks/poll",
        r -> refusals.incrementAndGet() <= 4 ? Answer.problem(503, "starting up") : null);
    UUID task = ridley.enqueue("divide", json("{}"));
    try (LogCapture logs = new LogCapture()) {
      worker = builder().handle("divide", t -> "after the outage").build().start();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ridley.requestsFor(task, "complete").size() == 1);

      assertThat(logs.warningsAbout("polling")).hasSize(1);
    }
  }

  @Test
  void a_worker_starts_once() {
    worker = builder().handle("divide", t -> null).build().start();

    assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_worker_closed_before_start_cannot_start_and_closes_again_quietly() {
    RidleyWorker unstarted = builder().handle("divide", t -> null).build();
    unstarted.close();

    assertThatThrownBy(unstarted::start).isInstanceOf(IllegalStateException.class);
    unstarted.close();
  }

  @Test
  void the_builder_refuses_bad_settings_with_the_setting_named() {
    RidleyWorker.Builder builder = builder();

    assertThatThrownBy(() -> builder.concurrency(0)).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> builder.pollWait(Duration.ZERO)).hasMessageContaining("pollWait");
    assertThatThrownBy(() -> builder.handle("divide", t -> null).handle("divide", t -> null))
        .hasMessageContaining("divide");
    assertThatThrownBy(() -> RidleyWorker.builder(ridley.uri()).build())
        .hasMessageContaining("handle(stage, handler)");
    assertThatThrownBy(
            () ->
                RidleyWorker.builder(java.net.URI.create("localhost:8088"))
                    .handle("divide", t -> null)
                    .build())
        .hasMessageContaining("http://127.0.0.1:8088");
  }

  private RidleyWorker.Builder builder() {
    return ridley.worker("lifecycle-test");
  }
}
