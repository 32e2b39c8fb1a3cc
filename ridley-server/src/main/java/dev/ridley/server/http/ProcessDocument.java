package dev.ridley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ProcessView;

/** A process as {@code GET /api/v1/processes/{id}} answers it, for senders outside the HTTP API (webhooks). */
public final class ProcessDocument {

  private ProcessDocument() {}

  public static ObjectNode of(ProcessView process) {
    return Views.process(process);
  }
}
