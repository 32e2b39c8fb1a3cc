package dev.ridley.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.worker.trace.Action;
import java.util.Map;
import java.util.UUID;

/** One task attempt, as its handler sees it. */
public interface TaskContext {

  /** The task's id; results are reported against it. */
  UUID id();

  UUID processId();

  String pipeline();

  String stage();

  /** 1 for the first attempt at this stage, 2 for the first retry, and so on. */
  int attempt();

  /** The stage's input: the process payload for the first stage, else the previous output. */
  JsonNode input();

  /**
   * The input mapped to a type with the worker's {@code ObjectMapper}.
   *
   * @throws IllegalArgumentException when the input does not fit the type
   */
  <T> T input(Class<T> type);

  /**
   * The serialized Eliot task id Ridley gave this attempt, e.g. {@code <processId>@/2/3}: where
   * the handler's own action sits in the process's tree. To hand the trace to another process,
   * use {@code action().serializeTaskId()} or {@link dev.ridley.worker.trace.TracedHttp}, which
   * reserve a new place under the current action.
   */
  String traceId();

  /**
   * The W3C {@code traceparent} of this attempt's handler: the process's trace id and the span id
   * of the attempt's {@code ridley:handler} span in the trace the server exports over OTLP. With
   * the OpenTelemetry API on the classpath it is already the current context while the handler
   * runs; this is for handlers that propagate it by hand.
   */
  default String traceparent() {
    return dev.ridley.worker.trace.TraceHeaders.traceparent(traceId());
  }

  /**
   * The current action of this attempt's trace: the innermost action started on this thread and
   * not yet ended, else the handler's own ({@code ridley:handler}, which the process's tree shows
   * under this attempt). Once a handler uses it (or {@link #startAction}, {@link #log}), its
   * actions travel back with its result; a handler that never does sends none.
   */
  Action action();

  /** Starts an action under the current one; see {@link Action} for how it ends. */
  default Action startAction(String actionType, Map<String, ?> fields) {
    return action().startAction(actionType, fields);
  }

  default Action startAction(String actionType) {
    return action().startAction(actionType);
  }

  /** Logs a message in the current action. */
  default void log(String messageType, Map<String, ?> fields) {
    action().log(messageType, fields);
  }

  /**
   * Sends no more heartbeats for this attempt. The engine will then time it out by its heartbeat
   * timer, if the stage has one; useful to simulate a machine that hangs.
   */
  void stopHeartbeats();

  /**
   * True once the server said this attempt is no longer current (it timed out, or the process was
   * cancelled): its result will be refused, so a long handler may stop early.
   */
  boolean isAbandoned();
}
