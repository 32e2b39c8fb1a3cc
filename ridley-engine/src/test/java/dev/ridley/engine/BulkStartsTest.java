package dev.ridley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many starts in one call: one transaction, each item answered as its single start would be. */
class BulkStartsTest {

  @RegisterExtension final TestEngines engines = TestEngines.of(TestPipelines.DIVIDE);

  private Engine engine() {
    return engines.engine();
  }

  private static JsonNode json(String text) {
    return Json.read(text);
  }

  @Test
  void a_batch_creates_every_process_with_its_first_task_and_journal() throws Exception {
    List<StartRequest> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) requests.add(StartRequest.of(json("{\"x\":" + i + ",\"y\":2}")));

    List<StartAnswer> answers = engine().processes().startAll("divide", requests);

    assertThat(answers).hasSize(200).allSatisfy(a -> {
      assertThat(a.applied()).isTrue();
      assertThat(a.started().result()).isEqualTo(StartResult.Result.CREATED);
      assertThat(a.started().process().status()).isEqualTo(ProcessStatus.RUNNING);
    });
    for (int i = 0; i < 200; i++) {
      assertThat(answers.get(i).started().process().payload().get("x").asInt()).as("answers in order").isEqualTo(i);
    }
    assertThat(count("select count(*) from process")).isEqualTo(200);
    assertThat(count("select count(*) from task where status = 'QUEUED' and stage = 'divide'")).isEqualTo(200);
    assertThat(count("select count(*) from journal_event where type = 'process.started'")).isEqualTo(200);
    assertThat(count("select count(*) from journal_event where type = 'task.enqueued'")).isEqualTo(200);
    ProcessView one = answers.get(7).started().process();
    assertThat(engine().processes().process(one.id())).get().isEqualTo(one);
    assertThat(engine().processes().events(one.id())).extracting(JournalEvent::type)
        .containsExactly(JournalEvent.PROCESS_STARTED, JournalEvent.TASK_ENQUEUED);
  }

  @Test
  void each_item_answers_as_its_single_start_would_and_a_bad_one_does_not_stop_the_others() throws Exception {
    ProcessView known = engine().processes().start("divide",
        new StartRequest("known", "ann", json("{\"a\":1,\"b\":2}"))).process();

    List<StartAnswer> answers = engine().processes().startAll("divide", List.of(
        new StartRequest("known", "ann", json("{\"b\":2,\"a\":1}")),
        new StartRequest("known", "ann", json("{\"a\":9}")),
        new StartRequest("known", "bob", json("{\"a\":1,\"b\":2}")),
        new StartRequest("fresh", null, json("{}")),
        new StartRequest(null, null, null),
        StartRequest.of(json("[1,2]"))));

    assertThat(answers.get(0).started().result()).isEqualTo(StartResult.Result.ALREADY_EXISTS);
    assertThat(answers.get(0).started().process().id()).isEqualTo(known.id());
    assertThat(answers.get(1).started().result()).isEqualTo(StartResult.Result.CONFLICT);
    assertThat(answers.get(2).started().result()).as("another user").isEqualTo(StartResult.Result.CONFLICT);
    assertThat(answers.get(3).started().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(answers.get(4).applied()).isFalse();
    assertThat(answers.get(4).refused()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("payload");
    assertThat(answers.get(5).started().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(count("select count(*) from process")).isEqualTo(3);
  }

  @Test
  void the_same_custom_id_twice_in_one_batch_starts_one_process_and_the_repeat_answers_as_a_retry() throws Exception {
    List<StartAnswer> answers = engine().processes().startAll("divide", List.of(
        new StartRequest("twice", null, json("{\"n\":1}")),
        new StartRequest("twice", null, json("{\"n\":1.0}")),
        new StartRequest("twice", null, json("{\"n\":2}"))));

    assertThat(answers.get(0).started().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(answers.get(1).started().result()).isEqualTo(StartResult.Result.ALREADY_EXISTS);
    assertThat(answers.get(2).started().result()).isEqualTo(StartResult.Result.CONFLICT);
    assertThat(answers).extracting(a -> a.started().process().id()).containsOnly(answers.get(0).started().process().id());
    assertThat(count("select count(*) from process where custom_id = 'twice'")).isEqualTo(1);
    assertThat(count("select count(*) from task")).isEqualTo(1);
  }

  @Test
  void an_item_the_database_refuses_is_refused_alone_and_the_others_start() throws Exception {
    // jsonb cannot hold U+0000: the database refuses this payload, and the batch's transaction with it.
    List<StartAnswer> answers = engine().processes().startAll("divide", List.of(
        new StartRequest("a", null, json("{}")),
        StartRequest.of(json("{\"bad\":\"\\u0000\"}")),
        new StartRequest("c", null, json("{}"))));

    assertThat(answers.get(0).started().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(answers.get(1).applied()).isFalse();
    assertThat(answers.get(2).started().result()).isEqualTo(StartResult.Result.CREATED);
    assertThat(count("select count(*) from process")).isEqualTo(2);
    assertThat(count("select count(*) from task")).isEqualTo(2);
  }

  @Test
  void a_batch_over_the_limit_or_for_an_unknown_pipeline_is_refused_whole_and_writes_nothing() throws Exception {
    List<StartRequest> many = Collections.nCopies(Processes.MAX_START_BATCH + 1, StartRequest.of(json("{}")));
    assertThatThrownBy(() -> engine().processes().startAll("divide", many))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 1000");
    assertThatThrownBy(() -> engine().processes().startAll("dvide", List.of(StartRequest.of(json("{}")))))
        .isInstanceOf(NotFoundException.class);
    assertThat(count("select count(*) from process")).isZero();
  }

  private long count(String sql) throws Exception {
    try (Connection c = engines.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
