package dev.ridley.worker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.TaskContext;
import dev.ridley.worker.trace.Action;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

final class DefaultTaskContext implements TaskContext {

  private final PolledTask task;
  private final ObjectMapper mapper;
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final HandlerTrace trace;
  private volatile boolean heartbeatsStopped;

  DefaultTaskContext(PolledTask task, ObjectMapper mapper, HandlerTrace trace) {
    this.task = task;
    this.mapper = mapper;
    this.trace = trace;
  }

  PolledTask task() {
    return task;
  }

  @Override
  public UUID id() {
    return task.id();
  }

  @Override
  public UUID processId() {
    return task.processId();
  }

  @Override
  public String pipeline() {
    return task.pipeline();
  }

  @Override
  public String stage() {
    return task.stage();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public JsonNode input() {
    return task.input();
  }

  @Override
  public <T> T input(Class<T> type) {
    try {
      return mapper.treeToValue(task.input(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the input of "
              + task.describe()
              + " does not map to "
              + type.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public String traceId() {
    return task.traceId();
  }

  @Override
  public Action action() {
    return trace.current();
  }

  HandlerTrace trace() {
    return trace;
  }

  @Override
  public void stopHeartbeats() {
    heartbeatsStopped = true;
  }

  boolean heartbeatsStopped() {
    return heartbeatsStopped;
  }

  @Override
  public boolean isAbandoned() {
    return abandoned.get();
  }

  /**
   * @return true the first time only, so an abandoned task is logged once
   */
  boolean markAbandoned() {
    return abandoned.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return task.describe();
  }
}
