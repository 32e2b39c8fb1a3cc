package dev.ridley.engine.store;

import static dev.ridley.engine.store.Sql.instant;

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

  private JournalRows() {}

  /**
   * Appends the events with one statement, whatever their number; their {@code seq} is assigned
   * by the database in the order given.
   */
  public static void append(Connection c, List<JournalEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    int n = events.size();
    Object[] process = new Object[n];
    String[] at = new String[n];
    String[] type = new String[n];
    Object[] task = new Object[n];
    String[] stage = new String[n];
    Integer[] attempt = new Integer[n];
    String[] data = new String[n];
    for (int i = 0; i < n; i++) {
      JournalEvent e = events.get(i);
      process[i] = e.processId();
      at[i] = e.at().toString();
      type[i] = e.type();
      task[i] = e.taskId();
      stage[i] = e.stage();
      attempt[i] = e.attempt();
      data[i] = e.data() == null ? null : Json.write(e.data());
    }
    // "with ordinality ... order by" keeps seq in the order given.
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into journal (process_id, at, type, task_id, stage, attempt, data)"
                + " select v.process_id, v.at::timestamptz, v.type, v.task_id, v.stage, v.attempt, v.data::jsonb"
                + " from unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::int[], ?::text[])"
                + " with ordinality as v(process_id, at, type, task_id, stage, attempt, data, n) order by v.n")) {
      ps.setArray(1, c.createArrayOf("uuid", process));
      ps.setArray(2, c.createArrayOf("text", at));
      ps.setArray(3, c.createArrayOf("text", type));
      ps.setArray(4, c.createArrayOf("uuid", task));
      ps.setArray(5, c.createArrayOf("text", stage));
      ps.setArray(6, c.createArrayOf("int4", attempt));
      ps.setArray(7, c.createArrayOf("text", data));
      ps.executeUpdate();
    }
  }

  /** The journal of one process, oldest first. */
  public static List<JournalEvent> ofProcess(Connection c, UUID processId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select seq, process_id, at, type, task_id, stage, attempt, data from journal"
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
