package dev.ridley.engine.store;

import static dev.ridley.engine.store.Sql.instant;
import static dev.ridley.engine.store.Sql.ts;

import dev.ridley.engine.JournalEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for the append-only {@code journal} table. */
public final class JournalRows {

  private JournalRows() {}

  /** Appends the events in one batch; their {@code seq} is assigned by the database. */
  public static void append(Connection c, List<JournalEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into journal (process_id, at, type, task_id, stage, attempt, data)"
                + " values (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      for (JournalEvent e : events) {
        ps.setObject(1, e.processId());
        ps.setObject(2, ts(e.at()));
        ps.setString(3, e.type());
        ps.setObject(4, e.taskId());
        ps.setString(5, e.stage());
        if (e.attempt() == null) {
          ps.setNull(6, Types.INTEGER);
        } else {
          ps.setInt(6, e.attempt());
        }
        ps.setString(7, e.data() == null ? null : Json.write(e.data()));
        ps.addBatch();
      }
      ps.executeBatch();
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
