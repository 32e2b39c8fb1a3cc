package dev.ridley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a process's append-only journal.
 *
 * @param seq global order of the entry
 * @param type what happened, e.g. {@code process.started}, {@code task.claimed}
 * @param data details of the event; an empty object when there are none
 */
public record JournalEvent(
    long seq,
    UUID processId,
    Instant at,
    String type,
    UUID taskId,
    String stage,
    Integer attempt,
    JsonNode data) {

  // The event types: the subject, then what happened to it.
  public static final String PROCESS_STARTED = "process.started";
  public static final String PROCESS_ROUTED = "process.routed";
  public static final String PROCESS_SUCCEEDED = "process.succeeded";
  public static final String PROCESS_FAILED = "process.failed";
  public static final String PROCESS_LOST = "process.lost";
  public static final String PROCESS_PARKED = "process.parked";
  public static final String PROCESS_REPLAYED = "process.replayed";
  public static final String PROCESS_CANCELLED = "process.cancelled";
  public static final String TASK_ENQUEUED = "task.enqueued";
  public static final String TASK_CLAIMED = "task.claimed";
  /**
   * A claimed attempt went back to the queue unworked, as it was before the claim (same attempt):
   * the poll's answer never reached its worker. {@code data}: {@code worker}, {@code reason}.
   */
  public static final String TASK_RELEASED = "task.released";
  public static final String TASK_COMPLETED = "task.completed";
  public static final String TASK_FAILED = "task.failed";
  public static final String TASK_TIMED_OUT = "task.timed_out";
  public static final String TASK_CANCELLED = "task.cancelled";
  /**
   * The pipeline's {@code notify} webhook took the notification of the process's end. {@code data}:
   * {@code deliveryId}, {@code status} (the end notified), {@code url}, {@code attempt}.
   */
  public static final String NOTIFICATION_DELIVERED = "notification.delivered";
  /**
   * The notification of the process's end was given up after its last attempt. {@code data}: as
   * for {@link #NOTIFICATION_DELIVERED}, and {@code error} (the last attempt's).
   */
  public static final String NOTIFICATION_DEAD = "notification.dead";
  /**
   * A result that came through the broker changed nothing: {@code data.reason} is {@code stale} (the
   * attempt was no longer current), {@code duplicate} (the same result was applied before) or
   * {@code invalid} (the message could not be read), with {@code transport} and {@code detail}.
   */
  public static final String TASK_RESULT_REFUSED = "task.result_refused";
}
