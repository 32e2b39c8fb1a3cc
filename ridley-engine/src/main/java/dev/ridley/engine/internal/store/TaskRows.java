package dev.ridley.engine.internal.store;

import dev.ridley.engine.JournalEvent;
import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the {@code task} table. */
public final class TaskRows {

  static final String COLUMNS =
      "id, process_id, pipeline, stage, attempt, ordinal, status, input, enqueued_at, stage_started_at,"
          + " visible_at, polled_at, heartbeat_at, finished_at, worker, outcome, output, error, trace";

  /** The journal event type of a release, as {@code JournalEvent.TASK_RELEASED}. */
  public static final String RELEASED = JournalEvent.TASK_RELEASED;

  private TaskRows() {}

  public static void insert(Connection c, TaskView t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into task (id, process_id, pipeline, stage, attempt, ordinal, status, input,"
                + " enqueued_at, stage_started_at, visible_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
      ps.setObject(1, t.id());
      ps.setObject(2, t.processId());
      ps.setString(3, t.pipeline());
      ps.setString(4, t.stage());
      ps.setInt(5, t.attempt());
      ps.setInt(6, t.ordinal());
      ps.setString(7, t.status().name());
      ps.setString(8, Json.write(t.input()));
      ps.setObject(9, ts(t.enqueuedAt()));
      ps.setObject(10, ts(t.stageStartedAt()));
      ps.setObject(11, ts(t.visibleAt()));
      ps.executeUpdate();
    }
  }

  /**
   * Claims up to {@code max} visible queued tasks of the given stages (of any pipeline) for {@code
   * worker}, oldest first. Rows other pollers hold are skipped, so concurrent claims never block
   * each other or return the same task. The fast path: stages without limit or pause.
   */
  public static List<TaskView> claim(
      Connection c, Collection<String> stages, int max, String worker, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(claimSql("stage = any(?)"))) {
      ps.setObject(1, ts(now));
      ps.setObject(2, ts(now));
      ps.setString(3, worker);
      ps.setArray(4, c.createArrayOf("text", stages.toArray()));
      ps.setObject(5, ts(now));
      ps.setInt(6, max);
      return list(ps);
    }
  }

  /** As {@link #claim}, for one stage of one pipeline. */
  public static List<TaskView> claimAt(
      Connection c, String pipeline, String stage, int max, String worker, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(claimSql("stage = ? and pipeline = ?"))) {
      ps.setObject(1, ts(now));
      ps.setObject(2, ts(now));
      ps.setString(3, worker);
      ps.setString(4, stage);
      ps.setString(5, pipeline);
      ps.setObject(6, ts(now));
      ps.setInt(7, max);
      return list(ps);
    }
  }

  /**
   * One statement claims the tasks and journals each claim ({@code task.claimed} with the
   * worker), so a claim is one round trip that writes only task and journal rows.
   */
  private static String claimSql(String stageCondition) {
    return "with claimed as (update task set status = 'RUNNING', polled_at = ?, heartbeat_at = ?, worker = ?"
        + " where id in (select id from task where status = 'QUEUED' and " + stageCondition
        + " and visible_at <= ? order by visible_at limit ? for update skip locked)"
        + " returning " + COLUMNS + "),"
        + " journaled as (insert into journal (process_id, at, type, task_id, stage, attempt, data)"
        + " select process_id, polled_at, '" + JournalEvent.TASK_CLAIMED + "', id, stage, attempt, jsonb_build_object('worker', worker)"
        + " from claimed order by visible_at)"
        + " select * from claimed order by visible_at";
  }

  /**
   * Puts tasks claimed by {@code worker} and still running back in the queue, as they were before
   * the claim (same attempt; no poll time, heartbeat or worker), and journals each ({@code
   * task.released} with the worker and the reason). Tasks that ended or moved on meanwhile are left
   * alone. One statement, like a claim: only task and journal rows.
   *
   * @return the tasks released
   */
  public static List<TaskView> release(Connection c, Collection<UUID> ids, String worker, String reason, Instant now)
      throws SQLException {
    return release(c, "id = any(?)", c.createArrayOf("uuid", ids.toArray()), worker, reason, now);
  }

  /** As {@link #release}, for the tasks a claim of {@code worker} took at one of the given times. */
  public static List<TaskView> releaseClaimedAt(
      Connection c, String worker, Collection<Instant> claimTimes, String reason, Instant now) throws SQLException {
    Object[] times = claimTimes.stream().map(Sql::ts).toArray();
    return release(c, "polled_at = any(?)", c.createArrayOf("timestamptz", times), worker, reason, now);
  }

  private static List<TaskView> release(
      Connection c, String which, java.sql.Array values, String worker, String reason, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "with released as (update task set status = 'QUEUED', polled_at = null, heartbeat_at = null, worker = null"
            + " where " + which + " and status = 'RUNNING' and worker = ? returning " + COLUMNS + "),"
            + " journaled as (insert into journal (process_id, at, type, task_id, stage, attempt, data)"
            + " select process_id, ?, '" + RELEASED + "', id, stage, attempt,"
            + " jsonb_build_object('worker', ?::text, 'reason', ?::text) from released order by visible_at)"
            + " select * from released order by visible_at")) {
      ps.setArray(1, values);
      ps.setString(2, worker);
      ps.setObject(3, ts(now));
      ps.setString(4, worker);
      ps.setString(5, reason);
      return list(ps);
    }
  }

  /**
   * Serializes the claims of one stage across all nodes until the transaction ends, so that
   * counting its running tasks and claiming more is atomic. Only stages with a maxInFlight take it.
   */
  public static void lockInFlight(Connection c, String pipeline, String stage) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select pg_advisory_xact_lock(hashtext('ridley.maxInFlight'), hashtext(? || '/' || ?))")) {
      ps.setString(1, pipeline);
      ps.setString(2, stage);
      ps.execute();
    }
  }

  /** How many tasks of the stage are claimed and not finished. */
  public static int running(Connection c, String pipeline, String stage) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*) from task where stage = ? and status = 'RUNNING' and pipeline = ?")) {
      ps.setString(1, stage);
      ps.setString(2, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * The queued tasks of a stage in the order claims take them: visible ones oldest first, then
   * those still waiting out a retry backoff.
   */
  public static List<TaskView> next(Connection c, String pipeline, String stage, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from task where status = 'QUEUED' and stage = ?"
                + " and pipeline = ? order by visible_at, id limit ?")) {
      ps.setString(1, stage);
      ps.setString(2, pipeline);
      ps.setInt(3, limit);
      return list(ps);
    }
  }

  public static Optional<TaskView> find(Connection c, UUID id) throws SQLException {
    return one(c, "select " + COLUMNS + " from task where id = ?", id);
  }

  /** Reads and locks the task until the transaction ends. */
  public static Optional<TaskView> lock(Connection c, UUID id) throws SQLException {
    return one(c, "select " + COLUMNS + " from task where id = ? for update", id);
  }

  public static List<TaskView> ofProcess(Connection c, UUID processId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from task where process_id = ? order by enqueued_at, attempt")) {
      ps.setObject(1, processId);
      return list(ps);
    }
  }

  /** Records a heartbeat; false when the attempt is not running (any more). */
  public static boolean heartbeat(Connection c, UUID id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update task set heartbeat_at = ? where id = ? and status = 'RUNNING'")) {
      ps.setObject(1, ts(now));
      ps.setObject(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  private static Optional<TaskView> one(Connection c, String sql, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      List<TaskView> rows = list(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }
  }

  static List<TaskView> list(PreparedStatement ps) throws SQLException {
    List<TaskView> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(map(rs));
      }
    }
    return out;
  }

  static TaskView map(ResultSet rs) throws SQLException {
    return TaskView.builder()
        .id(rs.getObject("id", UUID.class))
        .processId(rs.getObject("process_id", UUID.class))
        .pipeline(rs.getString("pipeline"))
        .stage(rs.getString("stage"))
        .attempt(rs.getInt("attempt"))
        .ordinal(rs.getInt("ordinal"))
        .status(TaskStatus.valueOf(rs.getString("status")))
        .input(Json.read(rs.getString("input")))
        .enqueuedAt(instant(rs, "enqueued_at"))
        .stageStartedAt(instant(rs, "stage_started_at"))
        .visibleAt(instant(rs, "visible_at"))
        .polledAt(instant(rs, "polled_at"))
        .heartbeatAt(instant(rs, "heartbeat_at"))
        .finishedAt(instant(rs, "finished_at"))
        .worker(rs.getString("worker"))
        .outcome(rs.getString("outcome"))
        .output(Json.read(rs.getString("output")))
        .error(Json.readError(rs.getString("error")))
        .trace(Json.read(rs.getString("trace")))
        .build();
  }
}
