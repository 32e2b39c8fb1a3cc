package dev.ridley.engine.internal.routing;

import dev.ridley.engine.Notification;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.NotificationRows;
import dev.ridley.engine.internal.store.OutboxRows;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Webhook;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The rows a transition leaves, in its own transaction, for loops that act after the commit: the
 * outbox entries of tasks that travel through RabbitMQ, and the webhook notifications of processes
 * that ended. Pipelines without amqp stages or {@code notify} write nothing here.
 */
public final class Handoffs {

  private final Map<String, Pipeline> pipelines;
  private final Supplier<UUID> ids;
  private final Supplier<Instant> now;

  Handoffs(Map<String, Pipeline> pipelines, Supplier<UUID> ids, Supplier<Instant> now) {
    this.pipelines = pipelines;
    this.ids = ids;
    this.now = now;
  }

  /**
   * Writes, in the transaction that moved them, a notification for each process that ended in a
   * status its pipeline's {@code notify} lists. Pipelines without {@code notify} cost nothing here.
   */
  public void notifyEnds(Connection c, List<ProcessView> after) throws SQLException {
    List<Notification> due = null;
    for (ProcessView p : after) {
      if (p.status() == ProcessStatus.RUNNING) continue;
      Pipeline pipeline = pipelines.get(p.pipeline());
      Webhook notify = pipeline == null ? null : pipeline.webhook();
      if (notify == null || !notify.notifies(p.status())) continue;
      if (due == null) due = new ArrayList<>();
      Instant at = p.finishedAt() != null ? p.finishedAt() : now.get();
      due.add(new Notification(ids.get(), p.id(), p.pipeline(), p.status(), notify.url(), 0, at));
    }
    if (due != null) NotificationRows.insert(c, due);
  }

  /**
   * Puts the new tasks of amqp stages in the outbox, in the transaction that created them, so the
   * relay publishes every one of them and nothing else. Pipelines without such stages write nothing.
   */
  public void outbox(Connection c, List<TaskView> created, Instant now) throws SQLException {
    List<TaskView> brokered = null;
    for (TaskView t : created) {
      if (!brokered(t.pipeline(), t.stage())) continue;
      if (brokered == null) brokered = new ArrayList<>();
      brokered.add(t);
    }
    if (brokered != null) OutboxRows.insert(c, brokered, now);
  }

  /** Whether the stage's tasks travel through the broker. */
  public boolean brokered(String pipeline, String stage) {
    Pipeline p = pipelines.get(pipeline);
    return p != null && p.stage(stage).map(s -> s.brokered()).orElse(false);
  }
}
