package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.BatchRows.col;
import static dev.ridley.engine.internal.store.BatchRows.time;

import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The set forms of the statements a batch of starts makes: one insert for all the new process
 * rows and one lookup for every customId that was taken, whatever the batch's size. The task and
 * journal rows go through {@link BatchRows#insert} and {@link JournalRows#append}.
 */
public final class StartRows {

  private StartRows() {}

  /**
   * Inserts the processes in the order given, skipping each whose customId is taken in its
   * pipeline (by a committed process, or one inserted earlier in this transaction).
   *
   * @param startedBy the principal that started a process for its user, by process id (absent: none)
   * @return the ids of the processes inserted
   */
  public static Set<UUID> insert(Connection c, List<ProcessView> processes, Map<UUID, String> startedBy)
      throws SQLException {
    if (processes.isEmpty()) return Set.of();
    try (PreparedStatement ps = c.prepareStatement(
        "insert into process (id, pipeline, custom_id, user_name, payload, status, last_stage,"
            + " last_seen_at, created_at, deadline_at, current_task, attempts, started_by)"
            + " select v.id, v.pipeline, v.custom_id, v.user_name, v.payload::jsonb, v.status, v.last_stage,"
            + " v.last_seen_at::timestamptz, v.created_at::timestamptz, v.deadline_at::timestamptz, v.current_task,"
            + " v.attempts, v.started_by"
            + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::uuid[], ?::int[], ?::text[]) with ordinality as v(id, pipeline, custom_id,"
            + " user_name, payload, status, last_stage, last_seen_at, created_at, deadline_at, current_task, attempts,"
            + " started_by, n)"
            + " order by v.n"
            + " on conflict (pipeline, custom_id) do nothing returning id")) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("uuid", col(processes, ProcessView::id)));
      ps.setArray(i++, c.createArrayOf("text", col(processes, ProcessView::pipeline)));
      ps.setArray(i++, c.createArrayOf("text", col(processes, ProcessView::customId)));
      ps.setArray(i++, c.createArrayOf("text", col(processes, ProcessView::user)));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> Json.write(p.payload()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> p.status().name())));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> p.lastSeen().stage())));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.lastSeen().at()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.createdAt()))));
      ps.setArray(i++, c.createArrayOf("text", col(processes, p -> time(p.deadlineAt()))));
      ps.setArray(i++, c.createArrayOf("uuid", col(processes, ProcessView::currentTask)));
      ps.setArray(i++, c.createArrayOf("int4", col(processes, ProcessView::attempts)));
      ps.setArray(i, c.createArrayOf("text", col(processes, p -> startedBy.get(p.id()))));
      Set<UUID> inserted = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) inserted.add(rs.getObject(1, UUID.class));
      }
      return inserted;
    }
  }

  /** A process found by the customId a start asked for, and whether it has the start's payload. */
  public record Found(ProcessView process, boolean samePayload) {}

  /**
   * For each start (pipeline, customId, payload) whose customId was taken, the process that has
   * it, with whether its payload equals the start's as JSON; in the order given. Every one must
   * exist (they were just refused by, or inserted in, this transaction).
   */
  public static List<Found> taken(Connection c, List<ProcessView> starts) throws SQLException {
    Found[] out = new Found[starts.size()];
    if (starts.isEmpty()) return List.of();
    try (PreparedStatement ps = c.prepareStatement(
        "select " + ProcessRows.COLUMNS + ", process.payload = v.payload::jsonb as same_payload, v.n"
            + " from unnest(?::text[], ?::text[], ?::text[]) with ordinality as v(pipeline, custom_id, payload, n)"
            + " join process on process.pipeline = v.pipeline and process.custom_id = v.custom_id")) {
      ps.setArray(1, c.createArrayOf("text", col(starts, ProcessView::pipeline)));
      ps.setArray(2, c.createArrayOf("text", col(starts, ProcessView::customId)));
      ps.setArray(3, c.createArrayOf("text", col(starts, p -> Json.write(p.payload()))));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out[rs.getInt("n") - 1] = new Found(ProcessRows.map(rs), rs.getBoolean("same_payload"));
        }
      }
    }
    List<Found> found = new ArrayList<>(out.length);
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        throw new IllegalStateException("customId '" + starts.get(i).customId() + "' of pipeline '"
            + starts.get(i).pipeline() + "' was taken, but no process has it");
      }
      found.add(out[i]);
    }
    return found;
  }

  /** The ids among {@code ids} of processes that have ended (any status but RUNNING). */
  public static Set<UUID> ended(Connection c, Set<UUID> ids) throws SQLException {
    if (ids.isEmpty()) return Set.of();
    try (PreparedStatement ps = c.prepareStatement(
        "select id from process where id = any(?::uuid[]) and status <> '" + ProcessStatus.RUNNING.name() + "'")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      Set<UUID> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getObject(1, UUID.class));
      }
      return out;
    }
  }
}
