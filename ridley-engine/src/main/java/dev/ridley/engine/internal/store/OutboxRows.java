package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL for the {@code amqp_outbox} table: the tasks of amqp stages waiting to be published to the
 * broker, or published and not yet finished. The task row stays the truth; an outbox row only says
 * whether a copy of it went to the broker.
 */
public final class OutboxRows {

  /*
   * An entry's task is looked up by its id, one row at a time (a subplan on the task's primary key):
   * joined instead, the planner, with no statistics yet for a young outbox, scanned every queued task
   * once per entry (measured: 0.4 s for a lease of 500 among 3,000 queued tasks).
   */
  private static final String TASK_IS = "(select ";
  private static final String BY_ID = " from task t where t.id = o.task_id)";

  private OutboxRows() {}

  /** Adds the tasks to the outbox, in the transaction that created them. */
  public static void insert(Connection c, List<TaskView> tasks, Instant now) throws SQLException {
    if (tasks.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "insert into amqp_outbox (task_id, pipeline, stage, created_at)"
            + " select unnest(?::uuid[]), unnest(?::text[]), unnest(?::text[]), ?")) {
      ps.setArray(1, c.createArrayOf("uuid", tasks.stream().map(TaskView::id).toArray()));
      ps.setArray(2, c.createArrayOf("text", tasks.stream().map(TaskView::pipeline).toArray()));
      ps.setArray(3, c.createArrayOf("text", tasks.stream().map(TaskView::stage).toArray()));
      ps.setObject(4, ts(now));
      ps.executeUpdate();
    }
  }

  /**
   * Leases up to {@code max} unpublished entries of one stage whose tasks are queued and visible,
   * oldest first, until {@code leaseUntil}; entries another relay holds (locked, or leased and not
   * expired) are skipped. Returns the leased tasks.
   */
  public static List<TaskView> lease(Connection c, String pipeline, String stage, int max, Instant now,
      Instant leaseUntil) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(leaseSql("o.pipeline = ? and o.stage = ?"))) {
      ps.setString(1, pipeline);
      ps.setString(2, stage);
      return leased(ps, 3, max, now, leaseUntil);
    }
  }

  /**
   * As {@link #lease}, for many stages in one statement, oldest first across them: the stages
   * without an in-flight limit, named {@code <pipeline>/<stage>}.
   */
  public static List<TaskView> leaseAny(Connection c, Collection<String> stages, int max, Instant now,
      Instant leaseUntil) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(leaseSql("(o.pipeline || '/' || o.stage) = any(?)"))) {
      ps.setArray(1, c.createArrayOf("text", stages.toArray()));
      return leased(ps, 2, max, now, leaseUntil);
    }
  }

  private static String leaseSql(String stages) {
    return "with picked as (select o.task_id from amqp_outbox o"
        + " where " + stages + " and o.published_at is null"
        + " and (o.leased_until is null or o.leased_until < ?)"
        + " and " + TASK_IS + "t.status = 'QUEUED' and t.visible_at <= ?" + BY_ID
        + " and not exists (select 1 from stage_pause sp where sp.pipeline = o.pipeline"
        + " and sp.stage = o.stage and sp.paused)"
        + " order by o.created_at limit ? for update of o skip locked),"
        + " leased as (update amqp_outbox o set leased_until = ?, publishes = publishes + 1"
        + " from picked where o.task_id = picked.task_id returning o.task_id)"
        + " select " + TaskRows.COLUMNS + " from task where id in (select task_id from leased)"
        + " order by visible_at";
  }

  private static List<TaskView> leased(PreparedStatement ps, int from, int max, Instant now, Instant leaseUntil)
      throws SQLException {
    ps.setObject(from, ts(now));
    ps.setObject(from + 1, ts(now));
    ps.setInt(from + 2, max);
    ps.setObject(from + 3, ts(leaseUntil));
    return TaskRows.list(ps);
  }

  /**
   * How many tasks of the stage are in the broker or at a worker: published (or leased for
   * publishing) and not finished.
   */
  public static int inFlight(Connection c, String pipeline, String stage, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select count(*) from amqp_outbox o where o.pipeline = ? and o.stage = ?"
            + " and (o.published_at is not null or o.leased_until >= ?)"
            + " and " + TASK_IS + "t.status in ('QUEUED', 'RUNNING')" + BY_ID)) {
      ps.setString(1, pipeline);
      ps.setString(2, stage);
      ps.setObject(3, ts(now));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Marks entries published: the broker confirmed them. */
  public static void published(Connection c, Collection<UUID> taskIds, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "update amqp_outbox set published_at = ?, leased_until = null where task_id = any(?)")) {
      ps.setObject(1, ts(now));
      ps.setArray(2, c.createArrayOf("uuid", taskIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** Gives leased entries up (their publish failed), so any relay may publish them again at once. */
  public static void unlease(Connection c, Collection<UUID> taskIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "update amqp_outbox set leased_until = null where task_id = any(?) and published_at is null")) {
      ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** Entries waiting to be published (their tasks queued), for metrics and health. */
  public static long backlog(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select count(*) from amqp_outbox o where o.published_at is null"
            + " and " + TASK_IS + "t.status = 'QUEUED'" + BY_ID);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Deletes the entries of these tasks, which just ended. */
  public static void forget(Connection c, Collection<UUID> taskIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from amqp_outbox where task_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** Deletes up to {@code max} entries whose tasks ended (or are gone); how many it deleted. */
  public static int tidy(Connection c, int max) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "delete from amqp_outbox where task_id in (select o.task_id from amqp_outbox o"
            + " where not coalesce(" + TASK_IS + "t.status in ('QUEUED', 'RUNNING')" + BY_ID + ", false)"
            + " limit ? for update of o skip locked)")) {
      ps.setInt(1, max);
      return ps.executeUpdate();
    }
  }

  /**
   * Marks queued tasks of amqp stages RUNNING for {@code worker} (a worker said it started them,
   * or reported them without saying so), and journals each claim as a poll's claim would. Tasks
   * not queued are left alone. Returns the tasks it claimed.
   */
  public static List<TaskView> start(Connection c, Collection<UUID> taskIds, String worker, Instant now)
      throws SQLException {
    Map<UUID, String> workers = new LinkedHashMap<>();
    for (UUID id : taskIds) workers.put(id, worker);
    return start(c, workers, now);
  }

  /**
   * As {@link #start(Connection, Collection, String, Instant)}, each task for its own worker, in
   * one statement: the claims of a whole batch of {@code started} messages.
   */
  public static List<TaskView> start(Connection c, Map<UUID, String> workers, Instant now) throws SQLException {
    if (workers.isEmpty()) return List.of();
    try (PreparedStatement ps = c.prepareStatement(
        "with claimed as (update task set status = 'RUNNING', polled_at = ?, heartbeat_at = ?, worker = w.who"
            + " from unnest(?::uuid[], ?::text[]) as w(tid, who)"
            + " where task.id = w.tid and task.status = 'QUEUED'"
            + " and exists (select 1 from amqp_outbox o where o.task_id = task.id)"
            + " returning " + TaskRows.COLUMNS + "),"
            + " journaled as (insert into journal (process_id, at, type, task_id, stage, attempt, data)"
            + " select process_id, polled_at, '" + JournalEvent.TASK_CLAIMED + "', id, stage, attempt,"
            + " jsonb_build_object('worker', worker, 'transport', 'amqp') from claimed order by visible_at)"
            + " select * from claimed order by visible_at")) {
      ps.setObject(1, ts(now));
      ps.setObject(2, ts(now));
      ps.setArray(3, c.createArrayOf("uuid", workers.keySet().toArray()));
      ps.setArray(4, c.createArrayOf("text", workers.values().toArray()));
      List<TaskView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(TaskRows.map(rs));
      }
      return out;
    }
  }

  /** Which of these tasks have ended (are neither queued nor running). */
  public static List<UUID> ended(Connection c, Collection<UUID> taskIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select id from task where id = any(?) and status not in ('QUEUED', 'RUNNING')")) {
      ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
      List<UUID> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getObject(1, UUID.class));
      }
      return out;
    }
  }
}
