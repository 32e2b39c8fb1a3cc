package dev.ridley.engine;

import java.time.Instant;
import java.util.UUID;

/**
 * A search over processes; every filter is optional and they combine with AND. Results come
 * newest first; {@code after} continues a previous page.
 *
 * @param seenBefore only processes last seen before this instant ("stopped moving")
 * @param after the cursor: the id of the last process of the previous page
 */
public record ProcessQuery(
    String pipeline,
    ProcessStatus status,
    String user,
    String customId,
    String stage,
    Instant seenBefore,
    LostReason lostReason,
    Instant createdAfter,
    Instant createdBefore,
    int limit,
    UUID after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public ProcessQuery {
    if (limit <= 0) {
      limit = DEFAULT_LIMIT;
    }
    if (limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be at most " + MAX_LIMIT + ", was " + limit);
    }
  }

  public static ProcessQuery all() {
    return new ProcessQuery(null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  public ProcessQuery withPipeline(String p) {
    return new ProcessQuery(p, status, user, customId, stage, seenBefore, lostReason, createdAfter, createdBefore, limit, after);
  }

  public ProcessQuery withStatus(ProcessStatus s) {
    return new ProcessQuery(pipeline, s, user, customId, stage, seenBefore, lostReason, createdAfter, createdBefore, limit, after);
  }

  public ProcessQuery withUser(String u) {
    return new ProcessQuery(pipeline, status, u, customId, stage, seenBefore, lostReason, createdAfter, createdBefore, limit, after);
  }

  public ProcessQuery withLimit(int l) {
    return new ProcessQuery(pipeline, status, user, customId, stage, seenBefore, lostReason, createdAfter, createdBefore, l, after);
  }

  public ProcessQuery withAfter(UUID cursor) {
    return new ProcessQuery(pipeline, status, user, customId, stage, seenBefore, lostReason, createdAfter, createdBefore, limit, cursor);
  }
}
