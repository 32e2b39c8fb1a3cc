package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** How a broker consumer sends what a worker says about a task to {@code ridley.results}. */
public interface BrokerReplies {

  /** {@code {"id", "event": "started", "worker"}}; need not wait for the broker. */
  void send(ObjectNode event) throws IOException;

  /** A result, shaped as one item of the batch report; returns once the broker confirmed it. */
  void sendConfirmed(ObjectNode result) throws IOException;
}
