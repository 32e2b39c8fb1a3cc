package dev.ridley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** How a worker talks to Ridley: to the engine in this JVM, or to a server over HTTP. */
interface Protocol extends AutoCloseable {

  /** A claimed task, as much of it as a no-op handler needs; {@code attempt} counts from 1. */
  record Task(UUID id, String stage, int attempt, JsonNode input) {}

  /** An {@code ok} result with its output. */
  record Result(Task task, JsonNode output) {}

  String name();

  List<Task> poll(String worker, List<String> stages, int max, Duration wait) throws Exception;

  /**
   * Reports results; returns when all are applied. With {@link #batches()}, the whole list in one
   * request (one transaction); otherwise one result per call.
   */
  void complete(List<Result> results) throws Exception;

  /** Whether {@link #complete} sends many results at once. */
  boolean batches();

  @Override
  default void close() {}
}
