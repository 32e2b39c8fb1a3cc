package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.testing.EliotParser;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Eliot's own parser reads every export into one complete task per process, shaped as ours. */
class EliotParserReadsExportsTest {

  @RegisterExtension static final TestEngines engines = Scenarios.engines();
  static Scenarios s;

  @BeforeAll
  static void setUp() {
    s = new Scenarios(engines);
  }

  /** Finished processes of every kind, by what happened to them. */
  static Map<String, UUID> finished() {
    Map<String, UUID> ids = new LinkedHashMap<>();
    UUID ok = s.start("divide");
    s.ok(s.claim("divide", ok));
    s.ok(s.claim("ocean", ok));
    ids.put("succeeded", ok);

    UUID retried = s.start("retry");
    s.fail(s.claim("flaky", retried), true);
    s.advance(Duration.ofSeconds(1));
    s.fail(s.claim("flaky", retried), true);
    s.advance(Duration.ofSeconds(2));
    s.fail(s.claim("flaky", retried), true);
    ids.put("retried then failed", retried);

    UUID lost = s.start("hb");
    s.claim("hb", lost);
    s.advance(Duration.ofSeconds(6));
    s.engine.operations().sweepOnce();
    s.advance(Duration.ofSeconds(1));
    s.claim("hb", lost);
    s.advance(Duration.ofSeconds(6));
    s.engine.operations().sweepOnce();
    ids.put("lost by heartbeat", lost);

    UUID replayed = s.start("failover");
    s.fail(s.claim("output-1", replayed), true);
    s.fail(s.claim("output-2", replayed), true);
    s.fail(s.claim("output-3", replayed), true);
    ids.put("never claimed, lost", s.start("e2p"));
    s.advance(Duration.ofSeconds(4));
    s.engine.operations().sweepOnce();
    s.engine.operations().replay(replayed, null);
    s.ok(s.claim("output-1", replayed));
    ids.put("failed over, parked, replayed", replayed);

    UUID traced = s.start("divide");
    ClaimedTask t = s.claim("divide", traced);
    s.engine.workers().fail(t.id(), ErrorInfo.of("HttpError", "HTTP 500"), false,
        Scenarios.handlerTrace(TraceIds.forTask(traced, 1), s.now(), true));
    s.ok(s.claim("errors", traced));
    ids.put("worker trace", traced);

    UUID cancelled = s.start("divide");
    s.claim("divide", cancelled);
    s.engine.operations().cancel(cancelled, "no longer needed");
    ids.put("cancelled", cancelled);
    return ids;
  }

  @Test
  void each_export_is_one_complete_task_for_eliots_parser_with_the_same_tree_as_ours() {
    Map<String, UUID> ids = finished();
    StringBuilder all = new StringBuilder();
    Map<String, ProcessTree> trees = new LinkedHashMap<>();
    ids.forEach((what, id) -> {
      ProcessTree tree = s.tree(id);
      trees.put(id.toString(), tree);
      all.append(tree.toEliotLines());
    });

    List<EliotParser.Parsed> parsed = EliotParser.parse(all.toString());

    assertThat(parsed).extracting(EliotParser.Parsed::taskUuid)
        .containsExactlyInAnyOrderElementsOf(trees.keySet());
    for (EliotParser.Parsed task : parsed) {
      String what = ids.entrySet().stream().filter(e -> e.getValue().toString().equals(task.taskUuid()))
          .map(Map.Entry::getKey).collect(Collectors.joining());
      assertThat(task.complete()).as("Eliot finds the %s process complete", what).isTrue();
      assertThat(task.root()).as("Eliot's tree of the %s process", what)
          .isEqualTo(EliotParser.shape(trees.get(task.taskUuid()).tree().root()));
    }
  }

  @Test
  void a_process_whose_worker_called_a_service_is_complete_for_eliot_with_the_services_log_in_any_order() {
    UUID id = s.start("divide");
    ClaimedTask t = s.claim("divide", id);
    s.engine.workers().complete(t.id(), "ok", null, Scenarios.handedOnTrace(TraceIds.forTask(id, 1), s.now()));
    s.ok(s.claim("ocean", id));
    String export = s.tree(id).toEliotLines();
    String service = EliotLines.write(Scenarios.serviceLog(id + "@/2/3/2/2", s.now()));

    assertThat(EliotParser.parse(export)).singleElement().satisfies(p -> assertThat(p.complete()).isFalse());
    for (String merged : List.of(export + service, service + export)) {
      assertThat(EliotParser.parse(merged)).singleElement().satisfies(p -> {
        assertThat(p.complete()).isTrue();
        assertThat(p.root().toString()).contains("eliot:remote_task");
      });
    }
  }

  @Test
  void a_running_process_is_one_task_eliot_knows_is_not_complete_yet() {
    UUID id = s.start("divide");
    s.claim("divide", id);
    List<EliotParser.Parsed> parsed = new ArrayList<>(EliotParser.parse(s.tree(id).toEliotLines()));
    assertThat(parsed).singleElement().satisfies(t -> {
      assertThat(t.taskUuid()).isEqualTo(id.toString());
      assertThat(t.complete()).isFalse();
      assertThat(t.root().path("status").asText()).isEqualTo("started");
    });
  }
}
