package dev.ridley.engine;

import java.util.UUID;

/**
 * The answer to one report of a batch: what it changed, or why it was refused and changed nothing
 * (a {@link ConflictException} for an attempt that is no longer current, a {@link
 * NotFoundException}, or an {@link InvalidRequestException}).
 */
public record ReportResult(UUID taskId, TaskResult result, RidleyException refused) {

  public boolean applied() {
    return refused == null;
  }
}
