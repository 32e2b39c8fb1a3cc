package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;
import static dev.ridley.engine.internal.store.Sql.ts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.LastSeen;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.Park;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the {@code process} table. */
public final class ProcessRows {

  /**
   * When the process was last seen: its last transition ({@code last_seen_at}) or the claim of its
   * current task, whichever is later. A claim writes only its task row, so that it stays a
   * one-table statement on the hot path; the process's sighting is derived on read.
   */
  static final String SEEN_AT =
      "greatest(process.last_seen_at,"
          + " (select t.polled_at from task t where t.id = process.current_task))";

  /** The columns {@link #map} reads, with lastSeen's time given by {@code lastSeenAt}. */
  private static String columns(String lastSeenAt) {
    return "id, pipeline, custom_id, user_name, payload, status, last_stage, " + lastSeenAt + " as last_seen_at,"
        + " created_at, deadline_at, finished_at, output, error, lost_reason, current_task, attempts, replays, park";
  }

  /**
   * The columns as stored, for transitions that lock the row and write its lastSeen anew: they
   * skip the lookup of the current task.
   */
  static final String STORED_COLUMNS = columns("last_seen_at");

  static final String COLUMNS = columns(SEEN_AT);

  private ProcessRows() {}

  /** Inserts a new process; returns false (and changes nothing) when its customId is taken. */
  public static boolean insert(Connection c, ProcessView p) throws SQLException {
    return insert(c, p, null);
  }

  /**
   * As {@link #insert(Connection, ProcessView)}, recording the principal that started it when it
   * is not its user ({@code startedBy}; null: none).
   */
  public static boolean insert(Connection c, ProcessView p, String startedBy) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into process (id, pipeline, custom_id, user_name, payload, status, last_stage,"
                + " last_seen_at, created_at, deadline_at, current_task, attempts, started_by)"
                + " values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (pipeline, custom_id) do nothing")) {
      ps.setObject(1, p.id());
      ps.setString(2, p.pipeline());
      ps.setString(3, p.customId());
      ps.setString(4, p.user());
      ps.setString(5, Json.write(p.payload()));
      ps.setString(6, p.status().name());
      ps.setString(7, p.lastSeen().stage());
      ps.setObject(8, ts(p.lastSeen().at()));
      ps.setObject(9, ts(p.createdAt()));
      ps.setObject(10, ts(p.deadlineAt()));
      ps.setObject(11, p.currentTask());
      ps.setInt(12, p.attempts());
      ps.setString(13, startedBy);
      return ps.executeUpdate() == 1;
    }
  }

  /** Whether the stored payload of the process equals {@code payload} as JSON (not as text). */
  public static boolean samePayload(Connection c, UUID id, JsonNode payload) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select payload = ?::jsonb from process where id = ?")) {
      ps.setString(1, Json.write(payload));
      ps.setObject(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  public static Optional<ProcessView> find(Connection c, UUID id) throws SQLException {
    return findOne(c, "select " + COLUMNS + " from process where id = ?", id);
  }

  /** Reads and locks the process until the transaction ends. */
  public static Optional<ProcessView> lock(Connection c, UUID id) throws SQLException {
    return findOne(c, "select " + COLUMNS + " from process where id = ? for update", id);
  }

  /** The principal that started the process for its user, if one did (and the process exists). */
  public static Optional<String> startedBy(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select started_by from process where id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  public static Optional<ProcessView> findByCustomId(Connection c, String pipeline, String customId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + COLUMNS + " from process where pipeline = ? and custom_id = ?")) {
      ps.setString(1, pipeline);
      ps.setString(2, customId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  public static List<ProcessView> search(Connection c, ProcessQuery q) throws SQLException {
    return search(c, q, null);
  }

  /**
   * As {@link #search(Connection, ProcessQuery)}, only among the processes {@code visibleTo} may
   * see (null: all): those whose user it is, or that it started for a user.
   */
  public static List<ProcessView> search(Connection c, ProcessQuery q, String visibleTo) throws SQLException {
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from process where true");
    List<Object> args = new ArrayList<>();
    if (visibleTo != null) {
      sql.append(" and (user_name = ? or started_by = ?)");
      args.add(visibleTo);
      args.add(visibleTo);
    }
    filter(sql, args, "pipeline = ?", q.pipeline());
    filter(sql, args, "status = ?", q.status() == null ? null : q.status().name());
    filter(sql, args, "user_name = ?", q.user());
    filter(sql, args, "custom_id = ?", q.customId());
    filter(sql, args, "last_stage = ?", q.stage());
    filter(sql, args, SEEN_AT + " < ?", ts(q.seenBefore()));
    filter(sql, args, "lost_reason = ?", q.lostReason() == null ? null : q.lostReason().name());
    filter(sql, args, "created_at >= ?", ts(q.createdAfter()));
    filter(sql, args, "created_at < ?", ts(q.createdBefore()));
    filter(sql, args, "id < ?", q.after());
    sql.append(" order by id desc limit ?");
    args.add(q.limit() + 1);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<ProcessView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(map(rs));
        }
      }
      return out;
    }
  }

  private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
    if (value != null) {
      sql.append(" and ").append(clause);
      args.add(value);
    }
  }

  private static Optional<ProcessView> findOne(Connection c, String sql, UUID id)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  static ProcessView map(ResultSet rs) throws SQLException {
    String lost = rs.getString("lost_reason");
    return ProcessView.builder()
        .id(rs.getObject("id", UUID.class))
        .pipeline(rs.getString("pipeline"))
        .customId(rs.getString("custom_id"))
        .user(rs.getString("user_name"))
        .status(ProcessStatus.valueOf(rs.getString("status")))
        .payload(Json.read(rs.getString("payload")))
        .lastSeen(new LastSeen(rs.getString("last_stage"), instant(rs, "last_seen_at")))
        .createdAt(instant(rs, "created_at"))
        .deadlineAt(instant(rs, "deadline_at"))
        .finishedAt(instant(rs, "finished_at"))
        .output(Json.read(rs.getString("output")))
        .error(Json.readError(rs.getString("error")))
        .lostReason(lost == null ? null : LostReason.valueOf(lost))
        .currentTask(rs.getObject("current_task", UUID.class))
        .attempts(rs.getInt("attempts"))
        .replays(rs.getInt("replays"))
        .park(Park.fromJson(Json.read(rs.getString("park"))))
        .build();
  }
}
