package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tree of real processes: retries, timeouts, failover, parks, replays, cancels, workers' traces. */
class TreeFromJournalTest {

  @RegisterExtension static final TestEngines engines = Scenarios.engines();
  static Scenarios s;

  @BeforeAll
  static void setUp() {
    s = new Scenarios(engines);
  }

  static ActionNode root(ProcessTree t) {
    return (ActionNode) t.tree().root();
  }

  static List<ActionNode> attempts(ProcessTree t) {
    return root(t).children().stream().filter(c -> c instanceof ActionNode).map(c -> (ActionNode) c).toList();
  }

  static List<String> messageTypes(ActionNode a) {
    return a.children().stream().filter(c -> c instanceof MessageNode)
        .map(c -> ((MessageNode) c).message().messageType()).toList();
  }

  static JsonNode start(ActionNode a) {
    return a.start().json();
  }

  static JsonNode end(ActionNode a) {
    return a.end().json();
  }

  @Test
  void a_process_is_one_root_action_with_an_action_per_attempt_in_order() {
    UUID id = s.start("divide");
    s.ok(s.claim("divide", id));
    s.ok(s.claim("ocean", id));
    ProcessTree t = s.tree(id);

    assertThat(t.tree().taskUuid()).isEqualTo(id.toString());
    assertThat(t.tree().complete()).isTrue();
    assertThat(root(t).actionType()).isEqualTo("ridley:pipeline:divide");
    assertThat(start(root(t)).path("user").asText()).isEqualTo("ann");
    assertThat(root(t).status()).isEqualTo("succeeded");
    assertThat(attempts(t)).extracting(ActionNode::actionType).containsExactly("ridley:stage:divide", "ridley:stage:ocean");
    assertThat(attempts(t)).extracting(a -> a.level().toString()).containsExactly("/2", "/3");
    ActionNode divide = attempts(t).getFirst();
    assertThat(start(divide).path("stage").asText()).isEqualTo("divide");
    assertThat(start(divide).path("attempt").asInt()).isEqualTo(1);
    assertThat(end(divide).path("worker").asText()).isEqualTo("w-1");
    assertThat(end(divide).path("outcome").asText()).isEqualTo("ok");
    assertThat(divide.durationSeconds()).isPositive();
    assertThat(messageTypes(divide)).containsExactly("ridley:claimed", "ridley:untraced", "ridley:routed");
    MessageNode routed = (MessageNode) divide.children().getLast();
    assertThat(routed.message().json().path("route").asText()).isEqualTo("divide.ok");
    assertThat(routed.message().json().path("to").asText()).isEqualTo("ocean");
  }

  @Test
  void retries_show_each_failed_attempt_with_its_exception_reason_and_the_retry_decision() {
    UUID id = s.start("retry");
    s.fail(s.claim("flaky", id), true);
    s.advance(Duration.ofSeconds(1));
    s.fail(s.claim("flaky", id), true);
    s.advance(Duration.ofSeconds(2)); // the backoff doubles
    s.ok(s.claim("flaky", id));
    ProcessTree t = s.tree(id);

    List<ActionNode> attempts = attempts(t);
    assertThat(attempts).extracting(ActionNode::status).containsExactly("failed", "failed", "succeeded");
    assertThat(attempts).extracting(a -> start(a).path("attempt").asInt()).containsExactly(1, 2, 3);
    ActionNode first = attempts.getFirst();
    assertThat(end(first).path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(end(first).path("reason").asText()).isEqualTo("division by zero: 1 / 0");
    assertThat(messageTypes(first)).containsExactly("ridley:claimed", "ridley:untraced", "eliot:traceback", "ridley:retry");
    assertThat(start(attempts.get(1)).path("retry").asBoolean()).isTrue();
    assertThat(start(attempts.get(1)).path("backoff").asText()).isEqualTo("1s");
    assertThat(root(t).status()).isEqualTo("succeeded");
    assertThat(t.tree().complete()).isTrue();
  }

  @Test
  void a_heartbeat_timeout_fires_inside_the_attempt_and_the_process_ends_lost() {
    UUID id = s.start("hb");
    s.claim("hb", id);
    s.advance(Duration.ofSeconds(6));
    s.engine.operations().sweepOnce();
    s.advance(Duration.ofSeconds(1));
    s.claim("hb", id);
    s.advance(Duration.ofSeconds(6));
    s.engine.operations().sweepOnce();
    ProcessTree t = s.tree(id);

    ActionNode first = attempts(t).getFirst();
    assertThat(first.status()).isEqualTo("failed");
    assertThat(end(first).path("exception").asText()).isEqualTo("Timeout");
    assertThat(end(first).path("reason").asText()).contains("no heartbeat from worker w-1");
    assertThat(end(first).path("outcome").asText()).isEqualTo("timeout");
    assertThat(messageTypes(first)).containsExactly("ridley:claimed", "ridley:untraced", "ridley:timed_out", "ridley:retry");
    MessageNode timer = (MessageNode) first.children().get(2);
    assertThat(timer.message().json().path("timer").asText()).isEqualTo("TASK_HEARTBEAT_TIMEOUT");

    assertThat(root(t).status()).isEqualTo("failed");
    assertThat(end(root(t)).path("status").asText()).isEqualTo("LOST");
    assertThat(end(root(t)).path("lostReason").asText()).isEqualTo("TASK_HEARTBEAT_TIMEOUT");
    assertThat(end(root(t)).path("reason").asText()).contains("no heartbeat");
    assertThat(t.tree().complete()).isTrue();
  }

  @Test
  void an_attempt_no_worker_claimed_has_no_claim_and_no_worker_slot() {
    UUID id = s.start("e2p");
    s.advance(Duration.ofSeconds(4));
    s.engine.operations().sweepOnce();
    ActionNode only = attempts(s.tree(id)).getFirst();
    assertThat(messageTypes(only)).containsExactly("ridley:timed_out", "ridley:routed");
    assertThat(end(only).path("reason").asText()).contains("no worker claimed");
    assertThat(end(only).has("worker")).isFalse();
    assertThat(s.tree(id).tree().complete()).isTrue();
  }

  @Test
  void failover_routes_each_failure_to_the_next_stage_and_the_park_ends_the_root_as_parked() {
    UUID id = s.start("failover");
    s.fail(s.claim("output-1", id), true);
    s.fail(s.claim("output-2", id), true);
    s.fail(s.claim("output-3", id), true);
    ProcessTree t = s.tree(id);

    assertThat(attempts(t)).extracting(ActionNode::actionType)
        .containsExactly("ridley:stage:output-1", "ridley:stage:output-2", "ridley:stage:output-3");
    assertThat(attempts(t)).allSatisfy(a -> assertThat(a.status()).isEqualTo("failed"));
    MessageNode toSecond = (MessageNode) attempts(t).getFirst().children().getLast();
    assertThat(toSecond.message().messageType()).isEqualTo("ridley:routed");
    assertThat(toSecond.message().json().path("route").asText()).isEqualTo("output-1.failed");
    assertThat(toSecond.message().json().path("to").asText()).isEqualTo("output-2");
    assertThat(messageTypes(attempts(t).getLast())).endsWith("ridley:routed", "ridley:parked");
    assertThat(end(root(t)).path("status").asText()).isEqualTo("PARKED");
    assertThat(end(root(t)).path("exception").asText()).isEqualTo("Parked");
    assertThat(end(root(t)).path("reason").asText()).contains("output-3").contains("output-1");
    assertThat(t.tree().complete()).isTrue();
  }

  @Test
  void a_replay_reopens_the_root_and_the_replayed_attempt_says_who_replayed_it_and_from_where() {
    UUID id = s.start("failover");
    s.fail(s.claim("output-1", id), true);
    s.fail(s.claim("output-2", id), true);
    s.fail(s.claim("output-3", id), true);
    s.tick();
    s.engine.operations().replay(id, null);
    ProcessTree running = s.tree(id);
    assertThat(root(running).end()).isNull();
    assertThat(running.tree().complete()).isFalse();

    s.ok(s.claim("output-1", id));
    ProcessTree t = s.tree(id);
    ActionNode replayed = attempts(t).getLast();
    assertThat(replayed.level()).isEqualTo(TaskLevel.of(5));
    assertThat(start(replayed).path("replay").asInt()).isEqualTo(1);
    assertThat(start(replayed).path("replayedBy").asText()).isEqualTo("api");
    assertThat(start(replayed).path("replayedFrom").asText()).isEqualTo("PARKED");
    assertThat(root(t).status()).isEqualTo("succeeded");
    assertThat(root(t).end().level()).isEqualTo(TaskLevel.of(6));
    assertThat(t.tree().complete()).isTrue();
  }

  @Test
  void a_running_process_has_unfinished_actions_with_only_their_start() {
    UUID id = s.start("divide");
    s.claim("divide", id);
    ProcessTree t = s.tree(id);
    assertThat(t.tree().complete()).isFalse();
    assertThat(root(t).status()).isEqualTo("started");
    assertThat(root(t).end()).isNull();
    ActionNode attempt = attempts(t).getFirst();
    assertThat(attempt.end()).isNull();
    assertThat(messageTypes(attempt)).containsExactly("ridley:claimed");
    assertThat(t.messages()).hasSize(3);
  }

  @Test
  void a_cancel_ends_the_running_attempt_and_the_process_with_the_reason() {
    UUID id = s.start("divide");
    s.claim("divide", id);
    s.tick();
    s.engine.operations().cancel(id, "customer withdrew the order");
    ProcessTree t = s.tree(id);
    ActionNode attempt = attempts(t).getFirst();
    assertThat(end(attempt).path("exception").asText()).isEqualTo("Cancelled");
    assertThat(messageTypes(attempt)).containsExactly("ridley:claimed", "ridley:untraced", "ridley:cancelled");
    assertThat(end(root(t)).path("status").asText()).isEqualTo("CANCELLED");
    assertThat(end(root(t)).path("reason").asText()).isEqualTo("customer withdrew the order");
    assertThat(t.tree().complete()).isTrue();
  }

  @Test
  void a_workers_actions_nest_under_its_attempt_at_the_slot_its_task_id_names() {
    UUID id = s.start("divide");
    ClaimedTask task = s.claim("divide", id);
    String taskId = TraceIds.forTask(id, 1);
    s.engine.workers().fail(task.id(), dev.ridley.engine.ErrorInfo.of("HttpError", "HTTP 500"), false,
        Scenarios.handlerTrace(taskId, s.now(), true));
    ProcessTree t = s.tree(id);

    TreeNode slot = Trees.find(t.tree(), TaskLevel.of(2, 3));
    assertThat(slot).isInstanceOf(ActionNode.class);
    ActionNode handler = (ActionNode) slot;
    assertThat(handler.actionType()).isEqualTo("ridley:handler");
    assertThat(handler.complete()).isTrue();
    ActionNode request = (ActionNode) handler.children().getFirst();
    assertThat(request.actionType()).isEqualTo("http:request");
    assertThat(request.level()).isEqualTo(TaskLevel.of(2, 3, 2));
    assertThat(end(request).path("reason").asText()).isEqualTo("HTTP 500");
    assertThat(messageTypes(attempts(t).getFirst())).doesNotContain("ridley:untraced");
  }

  @Test
  void a_number_the_worker_handed_to_another_process_stays_open_until_that_process_log_is_merged() {
    UUID id = s.start("divide");
    ClaimedTask task = s.claim("divide", id);
    String taskId = TraceIds.forTask(id, 1);
    s.engine.workers().complete(task.id(), "ok", null, Scenarios.handedOnTrace(taskId, s.now()));
    s.ok(s.claim("ocean", id));
    ProcessTree t = s.tree(id);

    assertThat(t.tree().complete()).as("as for Eliot: part of the task is in the service's log").isFalse();
    ActionNode request = (ActionNode) Trees.find(t.tree(), TaskLevel.of(2, 3, 2));
    assertThat(request.actionType()).isEqualTo("http:request");
    assertThat(request.children()).isEmpty();
    assertThat(request.end().level()).isEqualTo(TaskLevel.of(2, 3, 2, 3));

    java.util.List<EliotMessage> merged = new java.util.ArrayList<>(t.messages());
    merged.addAll(Scenarios.serviceLog(id + "@/2/3/2/2", s.now()));
    TaskTree both = Trees.merge(merged).tasks().getFirst();
    assertThat(both.complete()).isTrue();
    assertThat(((ActionNode) Trees.find(both, TaskLevel.of(2, 3, 2, 2))).actionType()).isEqualTo("eliot:remote_task");
  }

  @Test
  void a_worker_trace_numbered_elsewhere_is_moved_into_the_slot_whole() {
    UUID id = s.start("divide");
    ClaimedTask task = s.claim("divide", id);
    String ownTask = UUID.randomUUID() + "@/";
    s.engine.workers().complete(task.id(), "ok", null, Scenarios.handlerTrace(ownTask, s.now(), false));
    ProcessTree t = s.tree(id);

    ActionNode handler = (ActionNode) Trees.find(t.tree(), TaskLevel.of(2, 3));
    assertThat(handler.actionType()).isEqualTo("ridley:handler");
    assertThat(handler.start().taskUuid()).isEqualTo(id.toString());
    assertThat(((ActionNode) handler.children().getFirst()).level()).isEqualTo(TaskLevel.of(2, 3, 2));
  }

  @Test
  void a_worker_trace_that_is_not_well_formed_is_shown_message_by_message_under_the_slot() {
    UUID id = s.start("divide");
    ClaimedTask task = s.claim("divide", id);
    var trace = Scenarios.handlerTrace(TraceIds.forTask(id, 1), s.now(), false);
    trace.remove(trace.size() - 1); // the handler's action never ends
    trace.add(Scenarios.json("{\"not\": \"eliot\"}"));
    s.engine.workers().complete(task.id(), "ok", null, trace);
    ProcessTree t = s.tree(id);

    ActionNode slot = (ActionNode) Trees.find(t.tree(), TaskLevel.of(2, 3));
    assertThat(slot.actionType()).isEqualTo("ridley:worker_trace");
    assertThat(slot.children()).hasSize(5).allSatisfy(c -> assertThat(c).isInstanceOf(MessageNode.class));
    assertThat(t.tree().complete()).isFalse(); // the process itself still runs at ocean
    assertThat(slot.complete()).isTrue();
  }
}
