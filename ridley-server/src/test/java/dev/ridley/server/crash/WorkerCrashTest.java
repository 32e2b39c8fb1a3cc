package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.server.Json;
import dev.ridley.examples.DivideWorkers;
import dev.ridley.engine.LostReason;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.RidleyWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers that die or go silent are found by their timers; nothing is lost silently. */
class WorkerCrashTest {

  @Test
  void a_worker_killed_mid_task_is_found_by_the_heartbeat_timer_and_the_retry_succeeds(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("crash.yaml"), """
        name: crash
        stages:
          work: {timeouts: {heartbeat: 2s}, retry: {attempts: 3, backoff: 100ms}}
        """);
    try (RidleyServer server = RidleyServer.start(
            TestServers.config().toBuilder().setPipelines(dir).setSweepInterval(Duration.ofMillis(100)).build())) {
      UUID id = server.engine().processes().start("crash", StartRequest.of(Json.read("{\"n\":1}"))).process().id();
      try (ChildJvm doomed = ChildJvm.start("doomed-worker", HangingWorkerMain.class, Map.of(),
          server.uri().toString(), "work")) {
        doomed.awaitLine("CLAIMED " + id, Duration.ofSeconds(60));
        doomed.kill();
      }
      try (RidleyWorker healthy = RidleyWorker.builder(server.uri()).workerId("healthy")
          .pollWait(Duration.ofSeconds(1)).handle("work", task -> "done").build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(
            () -> server.engine().processes().process(id).orElseThrow().status() == ProcessStatus.SUCCEEDED);
      }
      List<TaskView> tasks = server.engine().processes().tasks(id);
      assertThat(tasks).extracting(TaskView::status).containsExactly(TaskStatus.TIMED_OUT, TaskStatus.SUCCEEDED);
      assertThat(tasks.get(0).worker()).startsWith("doomed-");
      assertThat(tasks.get(1).worker()).isEqualTo("healthy");
    }
  }

  @Test
  void a_worker_that_claims_a_task_and_goes_silent_forever_leaves_the_process_lost_at_its_stage()
      throws Exception {
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setSweepInterval(Duration.ofMillis(100)).build());
        RidleyWorker workers = DivideWorkers.register(RidleyWorker.builder(server.uri())
            .workerId("divide").pollWait(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(1))).build().start()) {
      UUID id = server.engine().processes().start("divide", StartRequest.of(Json.read("{\"x\":100000,\"y\":1}"))).process().id();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
          () -> server.engine().processes().process(id).orElseThrow().status() == ProcessStatus.LOST);
      ProcessView lost = server.engine().processes().process(id).orElseThrow();
      assertThat(lost.lostReason()).isEqualTo(LostReason.TASK_HEARTBEAT_TIMEOUT);
      assertThat(lost.lastSeen().stage()).isEqualTo("divide");
      assertThat(server.engine().processes().tasks(id)).allMatch(t -> t.status() == TaskStatus.TIMED_OUT);
    }
  }
}
