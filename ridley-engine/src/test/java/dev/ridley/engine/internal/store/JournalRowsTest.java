package dev.ridley.engine.internal.store;

import dev.ridley.engine.internal.store.Json;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.JournalFeed;
import dev.ridley.engine.internal.store.Db;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.Engine;
import dev.ridley.engine.EndedProcess;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consecutive events of one process share a journal row and still read back one by one. */
class JournalRowsTest {

  static Db db;

  @BeforeAll
  static void setUp() {
    DataSource ds = TestDatabase.fresh();
    Engine.migrate(ds);
    db = new Db(ds);
  }

  static JournalEvent event(UUID process, int i) {
    Instant at = Instant.parse("2026-11-22T10:00:00Z").plus(i, ChronoUnit.MILLIS);
    UUID task = i % 2 == 0 ? UUID.randomUUID() : null;
    return new JournalEvent(0, process, at, "test.event" + i, task, i % 3 == 0 ? null : "stage" + i,
        i % 4 == 0 ? null : i, i % 5 == 0 ? null : Json.object().put("i", i));
  }

  @Test
  void events_read_back_in_order_with_their_fields_and_a_seq_of_their_own() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<JournalEvent> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) written.add(event(a, i));
    for (int i = 0; i < 19; i++) written.add(event(b, i)); // more than one row can carry
    written.add(event(a, 3));
    db.tx(c -> { JournalRows.append(c, written); return null; });

    List<JournalEvent> ofA = db.tx(c -> JournalRows.ofProcess(c, a));
    List<JournalEvent> ofB = db.tx(c -> JournalRows.ofProcess(c, b));

    assertThat(ofA).hasSize(4);
    assertThat(ofB).hasSize(19);
    List<JournalEvent> expectedB = written.subList(3, 22);
    for (int i = 0; i < 19; i++) {
      JournalEvent got = ofB.get(i);
      JournalEvent want = expectedB.get(i);
      assertThat(got.type()).isEqualTo(want.type());
      assertThat(got.at()).isEqualTo(want.at());
      assertThat(got.taskId()).isEqualTo(want.taskId());
      assertThat(got.stage()).isEqualTo(want.stage());
      assertThat(got.attempt()).isEqualTo(want.attempt());
      assertThat(got.data()).isEqualTo(want.data() == null ? Json.object() : want.data());
    }
    List<Long> seqs = new ArrayList<>();
    ofA.forEach(e -> seqs.add(e.seq()));
    ofB.forEach(e -> seqs.add(e.seq()));
    assertThat(seqs).doesNotHaveDuplicates();
    assertThat(ofB).extracting(JournalEvent::seq).isSorted();
    assertThat(ofA.get(3).seq()).isGreaterThan(ofB.get(18).seq());
    // 23 events in 5 rows: a(3), b(8), b(8), b(3), a(1).
    assertThat(count("select count(*) from journal where process_id in ('" + a + "', '" + b + "')")).isEqualTo(5);
  }

  @Test
  void the_feed_finds_an_end_carried_inside_a_row_once() {
    UUID p = UUID.randomUUID();
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    long head = db.tx(JournalFeed::head);
    db.tx(c -> {
      JournalRows.append(c, List.of(
          new JournalEvent(0, p, at, "task.completed", null, "s", 1, null),
          new JournalEvent(0, p, at, "process.routed", null, null, null, null),
          new JournalEvent(0, p, at, "process.succeeded", null, null, null, null)));
      return null;
    });
    List<EndedProcess> ended = db.tx(c -> JournalFeed.endedAfter(c, head, at.plusSeconds(1), 10));
    assertThat(ended).extracting(EndedProcess::processId).containsExactly(p);
    long after = ended.getFirst().position();
    List<EndedProcess> again = db.tx(c -> JournalFeed.endedAfter(c, after, at.plusSeconds(1), 10));
    assertThat(again).isEmpty();
    long newHead = db.tx(JournalFeed::head);
    assertThat(newHead).isGreaterThanOrEqualTo(after);
  }

  static long count(String sql) {
    return db.tx(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
