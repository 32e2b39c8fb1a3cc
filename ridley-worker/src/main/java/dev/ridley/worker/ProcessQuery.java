package dev.ridley.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * A search for processes; every criterion is optional and they combine with AND. Immutable.
 *
 * <pre>{@code
 * ProcessQuery stale = ProcessQuery.builder()
 *     .pipeline("divide").status(ProcessStatus.RUNNING)
 *     .seenBefore(Instant.now().minus(Duration.ofMinutes(5)))
 *     .build();
 * }</pre>
 */
public final class ProcessQuery {

  private final String pipeline;
  private final ProcessStatus status;
  private final String user;
  private final String customId;
  private final String stage;
  private final Instant seenBefore;
  private final Integer limit;
  private final String cursor;

  private ProcessQuery(Builder b) {
    this.pipeline = b.pipeline;
    this.status = b.status;
    this.user = b.user;
    this.customId = b.customId;
    this.stage = b.stage;
    this.seenBefore = b.seenBefore;
    this.limit = b.limit;
    this.cursor = b.cursor;
  }

  /** Every process, in the server's order and default page size. */
  public static ProcessQuery all() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .pipeline(pipeline)
        .status(status)
        .user(user)
        .customId(customId)
        .stage(stage)
        .seenBefore(seenBefore)
        .limit(limit)
        .cursor(cursor);
  }

  /** The same query, continuing after a page: {@code q.withCursor(page.nextCursor())}. */
  public ProcessQuery withCursor(String cursor) {
    return toBuilder().cursor(cursor).build();
  }

  public Optional<String> pipeline() {
    return Optional.ofNullable(pipeline);
  }

  public Optional<ProcessStatus> status() {
    return Optional.ofNullable(status);
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  public Optional<String> customId() {
    return Optional.ofNullable(customId);
  }

  /** Processes whose last-seen stage is this one. */
  public Optional<String> stage() {
    return Optional.ofNullable(stage);
  }

  /** Processes not seen moving since this instant: the stale ones. */
  public Optional<Instant> seenBefore() {
    return Optional.ofNullable(seenBefore);
  }

  public Optional<Integer> limit() {
    return Optional.ofNullable(limit);
  }

  public Optional<String> cursor() {
    return Optional.ofNullable(cursor);
  }

  @Override
  public String toString() {
    return "ProcessQuery[pipeline="
        + pipeline
        + ", status="
        + status
        + ", user="
        + user
        + ", customId="
        + customId
        + ", stage="
        + stage
        + ", seenBefore="
        + seenBefore
        + ", limit="
        + limit
        + ", cursor="
        + cursor
        + "]";
  }

  /** Setters take null to clear a criterion. */
  public static final class Builder {
    private String pipeline;
    private ProcessStatus status;
    private String user;
    private String customId;
    private String stage;
    private Instant seenBefore;
    private Integer limit;
    private String cursor;

    private Builder() {}

    public Builder pipeline(String pipeline) {
      this.pipeline = pipeline;
      return this;
    }

    public Builder status(ProcessStatus status) {
      this.status = status;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder customId(String customId) {
      this.customId = customId;
      return this;
    }

    public Builder stage(String stage) {
      this.stage = stage;
      return this;
    }

    public Builder seenBefore(Instant seenBefore) {
      this.seenBefore = seenBefore;
      return this;
    }

    /** At most this many items per page; the server caps it. */
    public Builder limit(Integer limit) {
      if (limit != null && limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    public Builder cursor(String cursor) {
      this.cursor = cursor;
      return this;
    }

    public ProcessQuery build() {
      return new ProcessQuery(this);
    }
  }
}
