package dev.ridley.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchedLoopTest {

  @Test
  void a_round_that_throws_an_error_is_reported_down_and_the_loop_goes_on_until_it_works_again() {
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    try (WatchedLoop loop = WatchedLoop.start("test", Clock.systemUTC(), "test-loop", Duration.ofMillis(10),
        Duration.ofMillis(40), () -> {
          rounds.incrementAndGet();
          if (broken.get()) throw new OutOfMemoryError("pretend");
          return false;
        })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 3);
      assertThat(loop.health().failing()).isTrue();
      assertThat(loop.health().status()).isEqualTo("DOWN");
      assertThat(loop.health().lastError()).contains("OutOfMemoryError").contains("pretend");

      broken.set(false);
      await().atMost(Duration.ofSeconds(5)).until(() -> !loop.health().failing());
      assertThat(loop.health().lastSuccess()).isNotNull();
    }
  }

  @Test
  void a_round_with_more_to_do_runs_again_at_once_and_close_stops_the_loop() throws Exception {
    AtomicInteger rounds = new AtomicInteger();
    WatchedLoop loop = WatchedLoop.start("test", Clock.systemUTC(), "test-loop", Duration.ofHours(1),
        Duration.ofHours(1), () -> rounds.incrementAndGet() < 5);
    // Five rounds back to back although the interval is an hour: the first four said there was more.
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 5);
    loop.close();
    int after = rounds.get();
    Thread.sleep(50);
    assertThat(rounds.get()).isEqualTo(after);
    assertThat(loop.health().failing()).isFalse();
  }
}
