package dev.ridley.worker.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actions log Eliot's messages: nested levels, start and end, exception and reason on failure. */
class EliotActionTest {

  final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
  final EliotLog log = EliotLog.to(messages::add);

  List<String> levels() {
    return messages.stream().map(m -> m.get("task_level").toString()).toList();
  }

  @Test
  void actions_and_messages_are_numbered_as_eliot_numbers_them() {
    try (Action root = log.startTask("client:divide", Map.of("x", 1))) {
      root.log("client:ready");
      try (Action request = root.startAction("http:request")) {
        request.addSuccessFields(Map.of("status", 200));
      }
    }
    assertThat(levels()).containsExactly("[1]", "[2]", "[3,1]", "[3,2]", "[4]");
    assertThat(messages).extracting(m -> m.path("task_uuid").asText()).containsOnly(messages.getFirst().get("task_uuid").asText());
    assertThat(messages.get(0).path("action_status").asText()).isEqualTo("started");
    assertThat(messages.get(0).path("x").asInt()).isEqualTo(1);
    assertThat(messages.get(1).path("message_type").asText()).isEqualTo("client:ready");
    assertThat(messages.get(3).path("action_status").asText()).isEqualTo("succeeded");
    assertThat(messages.get(3).path("status").asInt()).isEqualTo(200);
    assertThat(messages.get(0).get("timestamp").isNumber()).isTrue();
  }

  @Test
  void a_failing_body_ends_its_action_failed_with_exception_and_reason_and_the_exception_goes_on() {
    Action divide = log.startTask("divide");
    assertThatThrownBy(() -> divide.call(() -> 1 / zero())).isInstanceOf(ArithmeticException.class);
    JsonNode end = messages.getLast();
    assertThat(end.path("action_status").asText()).isEqualTo("failed");
    assertThat(end.path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(end.path("reason").asText()).isEqualTo("/ by zero");
    assertThat(divide.isFinished()).isTrue();
  }

  static int zero() {
    return 0;
  }

  @Test
  void a_serialized_task_id_reserves_a_child_where_the_other_process_continues() {
    Action root = log.startTask("client");
    String id = root.serializeTaskId();
    assertThat(id).isEqualTo(root.taskUuid() + "@/2");
    try (Action remote = log.continueTask(id)) {
      remote.log("service:divided");
    }
    root.close();
    assertThat(levels()).containsExactly("[1]", "[2,1]", "[2,2]", "[2,3]", "[3]");
    assertThat(messages.get(1).path("action_type").asText()).isEqualTo(EliotLog.REMOTE_TASK);
  }

  @Test
  void closing_an_action_first_ends_its_open_children_as_failed() {
    Action root = log.startTask("job");
    Action forgotten = root.startAction("forgotten");
    root.close();
    assertThat(forgotten.isFinished()).isTrue();
    assertThat(levels()).containsExactly("[1]", "[2,1]", "[2,2]", "[3]");
    assertThat(messages.get(2).path("exception").asText()).isEqualTo("ridley:unfinished");
  }

  @Test
  void the_current_action_is_the_innermost_open_one_on_this_thread() {
    try (Action outer = log.startTask("outer")) {
      try (Action inner = outer.startAction("inner")) {
        assertThat(Action.current()).containsSame(inner);
      }
      assertThat(Action.current()).containsSame(outer);
    }
    assertThat(Action.current()).isEmpty();
  }

  @Test
  void eliots_own_field_names_are_refused_and_bad_task_ids_are_named() {
    Action root = log.startTask("job");
    assertThatThrownBy(() -> root.log("m", Map.of("task_level", 1))).hasMessageContaining("'task_level' is Eliot's own");
    assertThatThrownBy(() -> log.continueTask("no-level")).hasMessageContaining("not a serialized Eliot task id");
    assertThatThrownBy(() -> log.continueTask("u@/2/x")).hasMessageContaining("not a task level");
    root.close();
  }

  @Test
  void a_file_log_has_one_json_object_per_line_with_plain_timestamps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.log");
    try (EliotLog fileLog = EliotLog.toFile(file)) {
      fileLog.startTask("job").close();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.getFirst());
    assertThat(first.path("task_level").toString()).isEqualTo("[1]");
    assertThat(lines.getFirst()).containsPattern("\"timestamp\":1[0-9]{9}\\.[0-9]{6}[,}]");
  }

  @Test
  void the_traceparent_carries_the_task_uuid_as_its_trace_id() {
    String uuid = "0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a";
    String parent = TraceHeaders.traceparent(uuid + "@/2/3");
    assertThat(parent).matches("00-0192f5c48a1e7cc0b2a43f9e2d1c0b7a-[0-9a-f]{16}-01");
    assertThat(parent).isNotEqualTo(TraceHeaders.traceparent(uuid + "@/2/4"));
    assertThat(TraceHeaders.taskUuidOf(parent)).contains(uuid);
    assertThat(TraceHeaders.taskUuidOf("garbage")).isEmpty();
    assertThat(TraceHeaders.traceparent("not-a-uuid@/2")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  @Test
  void a_request_continues_its_eliot_task_else_its_w3c_trace_else_starts_one() {
    String uuid = "0192f5c4-8a1e-7cc0-b2a4-3f9e2d1c0b7a";
    Action eliot = log.continueFromHeaders(Map.of(TraceHeaders.ELIOT_TASK_ID, uuid + "@/3/2")::get);
    assertThat(messages.getLast().path("task_level").toString()).isEqualTo("[3,2,1]");
    eliot.close();
    Action w3c = log.continueFromHeaders(Map.of(TraceHeaders.TRACEPARENT, TraceHeaders.traceparent(uuid + "@/2"))::get);
    assertThat(w3c.taskUuid()).isEqualTo(uuid);
    w3c.close();
    Action fresh = log.continueFromHeaders(name -> null);
    assertThat(fresh.taskUuid()).isNotEqualTo(uuid);
    fresh.close();
  }
}
