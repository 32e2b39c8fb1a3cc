package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.testing.SettableClock;
import dev.ridley.engine.testing.TestEngines;
import dev.ridley.engine.testing.TestPipelines;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Real processes through a real engine and database, with a clock the test moves: the pipelines
 * and moves the tree tests drive.
 */
final class Scenarios {

  static final String RETRY =
      """
      name: retry
      stages:
        flaky: {retry: {attempts: 3, backoff: 1s}}
      """;
  static final String FAILOVER =
      """
      name: failover
      stages:
        output-1: {}
        output-2: {}
        output-3: {}
      routes:
        - output-1.failed -> output-2
        - output-2.failed -> output-3
        - output-3.failed -> @park(to=output-1)
      """;
  static final String DIVIDE =
      """
      name: divide
      stages:
        divide: {retry: {attempts: 2, backoff: 1s}}
        ocean: {}
        errors: {}
      routes:
        - divide.ok -> ocean
        - divide.failed -> errors
        - ocean.ok -> @done
        - errors.ok -> @fail
      """;

  final SettableClock clock;
  final Engine engine;

  /** Engines for a test class to register; it then makes its {@code Scenarios} from them. */
  static TestEngines engines() {
    return TestEngines.of(RETRY, TestPipelines.HEARTBEAT, TestPipelines.UNCLAIMED, FAILOVER, DIVIDE);
  }

  Scenarios(TestEngines engines) {
    clock = engines.clock();
    engine = engines.engine();
  }

  UUID start(String pipeline) {
    tick();
    return engine.processes().start(pipeline, StartRequest.of(Json.read("{\"x\":1,\"y\":0}")).withUser("ann")).process().id();
  }

  /** Claims the queued task of {@code process} at {@code stage}; every test drives one at a time. */
  ClaimedTask claim(String stage, UUID process) {
    tick();
    try {
      List<ClaimedTask> got = engine.workers().poll("w-1", List.of(stage), 1, Duration.ZERO);
      assertThat(got).as("a task of %s is queued at %s", process, stage).hasSize(1);
      assertThat(got.getFirst().processId()).isEqualTo(process);
      return got.getFirst();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  void ok(ClaimedTask t) {
    tick();
    engine.workers().complete(t.id(), "ok", Json.read("{\"q\":0.5}"));
  }

  void fail(ClaimedTask t, boolean retryable) {
    tick();
    engine.workers().fail(t.id(), new ErrorInfo("java.lang.ArithmeticException", "division by zero: 1 / 0",
        "java.lang.ArithmeticException: division by zero\n\tat Divide.run(Divide.java:7)"), retryable);
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  /** Each step takes a little time, so durations in the tree are not all zero. */
  void tick() {
    clock.advance(Duration.ofMillis(250));
  }

  Instant now() {
    return clock.instant();
  }

  ProcessTree tree(UUID id) {
    return ProcessTree.of(id, engine.processes().events(id), engine.processes().tasks(id));
  }

  /** What a worker that continued {@code taskId} would send: one action with a nested one. */
  static ArrayNode handlerTrace(String taskId, Instant at, boolean failed) {
    String uuid = taskId.substring(0, taskId.indexOf('@'));
    TaskLevel slot = TaskLevel.parse(taskId.substring(taskId.indexOf('@') + 1));
    ArrayNode a = Json.MAPPER.createArrayNode();
    a.add(EliotMessage.action(uuid, slot.child(1), at, "ridley:handler", "started", null).json());
    a.add(EliotMessage.action(uuid, slot.child(2).child(1), at, "http:request", "started",
        Json.object().put("url", "http://divider/divide")).json());
    a.add(EliotMessage.message(uuid, slot.child(2).child(2), at, "http:response",
        Json.object().put("status", 500)).json());
    ObjectNode end = Json.object().put("exception", "HttpError").put("reason", "HTTP 500");
    a.add(EliotMessage.action(uuid, slot.child(2).child(3), at, "http:request", "failed", end).json());
    a.add(EliotMessage.action(uuid, slot.child(3), at, "ridley:handler", failed ? "failed" : "succeeded",
        failed ? end : Json.object().put("outcome", "ok")).json());
    return a;
  }

  /** A handler whose request handed a child id to a service: the worker's trace has a gap there. */
  static ArrayNode handedOnTrace(String taskId, Instant at) {
    ArrayNode a = handlerTrace(taskId, at, false);
    a.remove(2); // the http:response message: [slot, 2, 2] went to the service instead
    return a;
  }

  /** What the service logged when it continued {@code taskId}. */
  static List<EliotMessage> serviceLog(String taskId, Instant at) {
    String uuid = taskId.substring(0, taskId.indexOf('@'));
    TaskLevel level = TaskLevel.parse(taskId.substring(taskId.indexOf('@') + 1));
    ObjectNode failed = Json.object().put("exception", "java.lang.ArithmeticException").put("reason", "Division by zero");
    return List.of(
        EliotMessage.action(uuid, level.child(1), at, "eliot:remote_task", "started", null),
        EliotMessage.action(uuid, level.child(2), at, "eliot:remote_task", "failed", failed));
  }

  static JsonNode json(String s) {
    return Json.read(s);
  }
}
