package dev.ridley.engine.internal.store;

import static dev.ridley.engine.internal.store.Sql.instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for the append-only {@code journal} table. */
public final class JournalRows {

  /**
   * The most events a row carries after its own: rows take every 8th sequence number (migration
   * V5) and these events the ones in between.
   */
  static final int MORE = 7;

  private JournalRows() {}

  /**
   * Appends the events with one statement, whatever their number; their {@code seq} is assigned
   * by the database in the order given. Consecutive events of one process share a row (the first
   * in its columns, up to {@link #MORE} others in {@code more}), so a transition is one row;
   * {@code journal_event} reads them back one by one.
   */
  public static void append(Connection c, List<JournalEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    List<Object> process = new ArrayList<>();
    List<String> at = new ArrayList<>();
    List<String> type = new ArrayList<>();
    List<Object> task = new ArrayList<>();
    List<String> stage = new ArrayList<>();
    List<Integer> attempt = new ArrayList<>();
    List<String> data = new ArrayList<>();
    List<String> more = new ArrayList<>();
    int i = 0;
    while (i < events.size()) {
      JournalEvent e = events.get(i);
      process.add(e.processId());
      at.add(e.at().toString());
      type.add(e.type());
      task.add(e.taskId());
      stage.add(e.stage());
      attempt.add(e.attempt());
      data.add(e.data() == null ? null : Json.write(e.data()));
      ArrayNode rest = null;
      int j = i + 1;
      for (; j < events.size() && j - i <= MORE && events.get(j).processId().equals(e.processId()); j++) {
        if (rest == null) rest = Json.MAPPER.createArrayNode();
        rest.add(packed(events.get(j)));
      }
      more.add(rest == null ? null : Json.write(rest));
      i = j;
    }
    // "with ordinality ... order by" keeps seq in the order given.
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into journal (process_id, at, type, task_id, stage, attempt, data, more)"
                + " select v.process_id, v.at::timestamptz, v.type, v.task_id, v.stage, v.attempt, v.data::jsonb, v.more::jsonb"
                + " from unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::int[], ?::text[], ?::text[])"
                + " with ordinality as v(process_id, at, type, task_id, stage, attempt, data, more, n) order by v.n")) {
      ps.setArray(1, c.createArrayOf("uuid", process.toArray()));
      ps.setArray(2, c.createArrayOf("text", at.toArray()));
      ps.setArray(3, c.createArrayOf("text", type.toArray()));
      ps.setArray(4, c.createArrayOf("uuid", task.toArray()));
      ps.setArray(5, c.createArrayOf("text", stage.toArray()));
      ps.setArray(6, c.createArrayOf("int4", attempt.toArray()));
      ps.setArray(7, c.createArrayOf("text", data.toArray()));
      ps.setArray(8, c.createArrayOf("text", more.toArray()));
      ps.executeUpdate();
    }
  }

  /** An event that follows another of its process in the same row, as {@code journal_event} reads it. */
  private static ObjectNode packed(JournalEvent e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("at", e.at().toString());
    o.put("type", e.type());
    if (e.taskId() != null) o.put("taskId", e.taskId().toString());
    if (e.stage() != null) o.put("stage", e.stage());
    if (e.attempt() != null) o.put("attempt", e.attempt());
    if (e.data() != null) o.set("data", e.data());
    return o;
  }

  /** The journal of one process, oldest first. */
  public static List<JournalEvent> ofProcess(Connection c, UUID processId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select seq, process_id, at, type, task_id, stage, attempt, data from journal_event"
                + " where process_id = ? order by seq")) {
      ps.setObject(1, processId);
      List<JournalEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int n = rs.getInt("attempt");
          Integer attempt = rs.wasNull() ? null : n;
          out.add(
              new JournalEvent(
                  rs.getLong("seq"),
                  rs.getObject("process_id", UUID.class),
                  instant(rs, "at"),
                  rs.getString("type"),
                  rs.getObject("task_id", UUID.class),
                  rs.getString("stage"),
                  attempt,
                  rs.getString("data") == null ? Json.object() : Json.read(rs.getString("data"))));
        }
      }
      return out;
    }
  }
}
