package dev.ridley.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.TaskContext;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import java.util.UUID;

/** A task context for calling handlers directly, without a server. */
final class StubTask implements TaskContext {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String stage;
  private final JsonNode input;
  volatile boolean heartbeatsStopped;

  StubTask(String stage, String inputJson) throws Exception {
    this.stage = stage;
    this.input = JSON.readTree(inputJson);
  }

  @Override
  public UUID id() {
    return new UUID(0, 1);
  }

  @Override
  public UUID processId() {
    return new UUID(0, 2);
  }

  @Override
  public String pipeline() {
    return "divide";
  }

  @Override
  public String stage() {
    return stage;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public JsonNode input() {
    return input;
  }

  @Override
  public <T> T input(Class<T> type) {
    return JSON.convertValue(input, type);
  }

  @Override
  public String traceId() {
    return processId() + "@/2/3";
  }

  @Override
  public Action action() {
    return EliotLog.to(message -> {}).continueTask(traceId(), "ridley:handler", java.util.Map.of());
  }

  @Override
  public void stopHeartbeats() {
    heartbeatsStopped = true;
  }

  @Override
  public boolean isAbandoned() {
    return false;
  }
}
