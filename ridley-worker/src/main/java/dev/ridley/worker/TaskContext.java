package dev.ridley.worker;

import com.fasterxml.jackson.databind.JsonNode;
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

  /** Eliot-style task id of this attempt, e.g. {@code <processId>@/2}, for the handler's logs. */
  String traceId();

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
