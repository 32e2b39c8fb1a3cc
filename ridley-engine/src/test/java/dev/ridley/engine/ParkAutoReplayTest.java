package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Parked processes replay themselves once the stage that parked them has been quiet long enough. */
class ParkAutoReplayTest {

  static final String SEND =
      """
      name: send
      stages:
        primary: {}
        backup: {}
      routes:
        - primary.failed -> backup
        - backup.failed -> @park(replayAfter=2s, to=primary, maxReplays=2)
        - backup.invalid -> @park
      """;

  @RegisterExtension final TestEngines engines = TestEngines.of(SEND);
  final SettableClock clock = engines.clock();
  final Engine engine = engines.engine();

  ClaimedTask claim(String stage) throws InterruptedException {
    List<ClaimedTask> got = engine.workers().poll("w", List.of(stage), 1, Duration.ZERO);
    assertThat(got).as("a task at %s", stage).hasSize(1);
    return got.getFirst();
  }

  /** Fails a message at both outputs, so it parks at backup. */
  UUID parkOne(int n) throws InterruptedException {
    UUID id = engine.processes().start("send", StartRequest.of(Json.read("{\"n\":" + n + "}"))).process().id();
    failBoth();
    return id;
  }

  void failBoth() throws InterruptedException {
    engine.workers().fail(claim("primary").id(), ErrorInfo.of("ConnectException", "refused"), true);
    engine.workers().fail(claim("backup").id(), ErrorInfo.of("ConnectException", "refused"), true);
  }

  ProcessView process(UUID id) {
    return engine.processes().process(id).orElseThrow();
  }

  @Test
  void parked_processes_wait_while_the_stage_keeps_parking_then_all_replay_at_the_to_stage() throws Exception {
    UUID first = parkOne(1);
    assertThat(process(first).status()).isEqualTo(ProcessStatus.PARKED);
    assertThat(process(first).park().to()).isEqualTo("primary");
    clock.advance(Duration.ofMillis(1500));
    UUID second = parkOne(2);

    clock.advance(Duration.ofMillis(1500)); // 3 s since the first park, 1.5 s since the last
    engine.operations().sweepOnce();
    assertThat(process(first).status()).isEqualTo(ProcessStatus.PARKED);

    clock.advance(Duration.ofMillis(600)); // the stage has now been quiet for 2.1 s
    engine.operations().sweepOnce();
    for (UUID id : List.of(first, second)) {
      ProcessView p = process(id);
      assertThat(p.status()).isEqualTo(ProcessStatus.RUNNING);
      assertThat(p.lastSeen().stage()).isEqualTo("primary");
    }
    assertThat(claim("primary").input()).isEqualTo(Json.read("{\"n\":1}"));
    assertThat(claim("primary").input()).isEqualTo(Json.read("{\"n\":2}"));
    assertThat(engine.processes().events(first)).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo("process.replayed");
      assertThat(e.data().path("by").asText()).isEqualTo("auto");
    });
  }

  @Test
  void after_max_replays_a_process_stays_parked_until_a_person_replays_it_which_restarts_the_count()
      throws Exception {
    UUID id = parkOne(1);
    for (int replay = 1; replay <= 2; replay++) {
      clock.advance(Duration.ofSeconds(3));
      engine.operations().sweepOnce();
      assertThat(process(id).status()).as("auto-replay %d", replay).isEqualTo(ProcessStatus.RUNNING);
      failBoth();
      assertThat(process(id).park().autoReplays()).isEqualTo(replay);
    }
    clock.advance(Duration.ofMinutes(10));
    engine.operations().sweepOnce();
    assertThat(process(id).status()).isEqualTo(ProcessStatus.PARKED);

    engine.operations().replay(id, null); // a person
    failBoth();
    assertThat(process(id).park().autoReplays()).isZero();
    clock.advance(Duration.ofSeconds(3));
    engine.operations().sweepOnce();
    assertThat(process(id).status()).isEqualTo(ProcessStatus.RUNNING);
    assertThat(process(id).replays()).isEqualTo(4);
  }

  @Test
  void a_park_without_replay_after_waits_for_a_person() throws Exception {
    UUID id = engine.processes().start("send", StartRequest.of(Json.read("{}"))).process().id();
    engine.workers().fail(claim("primary").id(), ErrorInfo.of("Boom", "x"), true);
    engine.workers().complete(claim("backup").id(), "invalid", Json.read("{\"bad\":true}"));
    clock.advance(Duration.ofDays(1));
    engine.operations().sweepOnce();
    assertThat(process(id).status()).isEqualTo(ProcessStatus.PARKED);
    assertThat(engine.processes().search(ProcessQuery.all().withStatus(ProcessStatus.PARKED)).items())
        .extracting(ProcessView::id).containsExactly(id);
  }

  @Test
  void sweepers_of_several_nodes_replay_each_parked_process_once() throws Exception {
    List<UUID> parked = new ArrayList<>();
    for (int i = 0; i < 30; i++) parked.add(parkOne(i));
    clock.advance(Duration.ofSeconds(3));
    List<Engine> nodes = List.of(engine, engines.node(), engines.node(), engines.node());
    try (var pool = Executors.newFixedThreadPool(nodes.size())) {
      List<Callable<Integer>> sweeps = nodes.stream().map(n -> (Callable<Integer>) n.operations()::sweepOnce).toList();
      for (Future<Integer> f : pool.invokeAll(sweeps)) f.get();
    }
    for (UUID id : parked) {
      assertThat(process(id).status()).isEqualTo(ProcessStatus.RUNNING);
      assertThat(process(id).replays()).isEqualTo(1);
      assertThat(engine.processes().events(id)).filteredOn(e -> e.type().equals("process.replayed")).hasSize(1);
    }
  }
}
