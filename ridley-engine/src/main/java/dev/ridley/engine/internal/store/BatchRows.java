package dev.ridley.engine.internal.store;

import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The set forms of the process and task statements a report makes, for a batch of reports in
 * one transaction: one statement per table for the whole batch instead of one per report, so a
 * batch costs a handful of round trips whatever its size. Arrays travel as text and are cast in
 * SQL, which keeps them independent of the driver's array type support.
 */
public final class BatchRows {

  private BatchRows() {}

  /**
   * Locks the processes of the given tasks, in id order (every transition locks a process before
   * its task, and two batches lock theirs in the same order), and the tasks after them.
   *
   * @return the tasks found, by id, and their processes, by id
   */
  public static Locked lock(Connection c, Collection<UUID> taskIds) throws SQLException {
    Object[] ids = taskIds.toArray();
    Map<UUID, ProcessView> processes = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "select " + ProcessRows.STORED_COLUMNS + " from process where id in"
            + " (select process_id from task where id = any(?::uuid[])) order by id for update")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ProcessView p = ProcessRows.map(rs);
          processes.put(p.id(), p);
        }
      }
    }
    Map<UUID, TaskView> tasks = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "select " + TaskRows.COLUMNS + " from task where id = any(?::uuid[]) order by id for update")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      for (TaskView t : TaskRows.list(ps)) tasks.put(t.id(), t);
    }
    return new Locked(tasks, processes);
  }

  /** Locked rows of a batch. */
  public record Locked(Map<UUID, TaskView> tasks, Map<UUID, ProcessView> processes) {}

  /** Ends attempts: status, finish time, outcome and result of each. */
  public static void finish(Connection c, List<TaskView> ended) throws SQLException {
    if (ended.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "update task t set status = v.status, finished_at = v.finished_at::timestamptz, outcome = v.outcome,"
            + " output = v.output::jsonb, error = v.error::jsonb, trace = v.trace::jsonb"
            + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " as v(id, status, finished_at, outcome, output, error, trace) where t.id = v.id")) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("uuid", col(ended, TaskView::id)));
      ps.setArray(i++, c.createArrayOf("text", col(ended, t -> t.status().name())));
      ps.setArray(i++, c.createArrayOf("text", col(ended, t -> time(t.finishedAt()))));
      ps.setArray(i++, c.createArrayOf("text", col(ended, TaskView::outcome)));
      ps.setArray(i++, c.createArrayOf("text", col(ended, t -> Json.write(t.output()))));
      ps.setArray(i++, c.createArrayOf("text", col(ended, t -> Json.write(t.error()))));
      ps.setArray(i, c.createArrayOf("text", col(ended, t -> Json.write(t.trace()))));
      ps.executeUpdate();
    }
  }

  /** Inserts new (queued) tasks. */
  public static void insert(Connection c, List<TaskView> tasks) throws SQLException {
    if (tasks.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "insert into task (id, process_id, pipeline, stage, attempt, ordinal, status, input,"
            + " enqueued_at, stage_started_at, visible_at)"
            + " select v.id, v.process_id, v.pipeline, v.stage, v.attempt, v.ordinal, v.status, v.input::jsonb,"
            + " v.enqueued_at::timestamptz, v.stage_started_at::timestamptz, v.visible_at::timestamptz"
            + " from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[]) as v(id, process_id, pipeline, stage, attempt, ordinal, status,"
            + " input, enqueued_at, stage_started_at, visible_at)")) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("uuid", col(tasks, TaskView::id)));
      ps.setArray(i++, c.createArrayOf("uuid", col(tasks, TaskView::processId)));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, TaskView::pipeline)));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, TaskView::stage)));
      ps.setArray(i++, c.createArrayOf("int4", col(tasks, TaskView::attempt)));
      ps.setArray(i++, c.createArrayOf("int4", col(tasks, TaskView::ordinal)));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, t -> t.status().name())));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, t -> Json.write(t.input()))));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, t -> time(t.enqueuedAt()))));
      ps.setArray(i++, c.createArrayOf("text", col(tasks, t -> time(t.stageStartedAt()))));
      ps.setArray(i, c.createArrayOf("text", col(tasks, t -> time(t.visibleAt()))));
      ps.executeUpdate();
    }
  }

  /** Writes everything transitions change on their processes: status, lastSeen, current task, result. */
  public static void update(Connection c, List<ProcessView> processes) throws SQLException {
    if (processes.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "update process p set status = v.status, last_stage = v.last_stage, last_seen_at = v.last_seen_at::timestamptz,"
            + " finished_at = v.finished_at::timestamptz, deadline_at = v.deadline_at::timestamptz,"
            + " output = v.output::jsonb, error = v.error::jsonb, lost_reason = v.lost_reason,"
            + " current_task = v.current_task, attempts = v.attempts, replays = v.replays, park = v.park::jsonb"
            + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::uuid[], ?::int[], ?::int[], ?::text[]) as v(id, status, last_stage, last_seen_at,"
            + " finished_at, deadline_at, output, error, lost_reason, current_task, attempts, replays, park)"
            + " where p.id = v.id")) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("uuid", col(processes, ProcessView::id)));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> p.status().name())));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> p.lastSeen().stage())));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.lastSeen().at()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.finishedAt()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.deadlineAt()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> Json.write(p.output()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> Json.write(p.error()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> p.lostReason() == null ? null : p.lostReason().name())));
      ps.setArray(i++, c.createArrayOf("uuid", col(processes, ProcessView::currentTask)));
      ps.setArray(i++, c.createArrayOf("int4", col(processes, ProcessView::attempts)));
      ps.setArray(i++, c.createArrayOf("int4", col(processes, ProcessView::replays)));
      ps.setArray(i, c.createArrayOf("text", col(processes, p -> Json.write(p.park() == null ? null : p.park().toJson()))));
      ps.executeUpdate();
    }
  }

  static <T> Object[] col(List<T> rows, Function<T, Object> f) {
    Object[] out = new Object[rows.size()];
    for (int i = 0; i < out.length; i++) out[i] = f.apply(rows.get(i));
    return out;
  }

  static String time(Instant i) {
    return i == null ? null : i.toString();
  }
}
