package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accounting every crash test ends with, read from the journal: every process started once,
 * no process ended twice (with {@code endedExactlyOnce}: every process ended once, none still
 * moving), and no attempt ended twice.
 */
final class Accounting {

  /** Runs a {@code select count(*) ...} on the database under test. */
  @FunctionalInterface
  interface Counter {
    long count(String sql) throws Exception;
  }

  private Accounting() {}

  static void assertEveryProcessAccountedFor(Counter db, boolean endedExactlyOnce) throws Exception {
    assertThat(db.count("select count(*) from process p where (select count(*) from journal_event j"
        + " where j.process_id = p.id and j.type = 'process.started') <> 1"))
        .as("processes not started exactly once").isZero();
    assertThat(db.count("select count(*) from process p where (select count(*) from journal_event j"
        + " where j.process_id = p.id and j.type in ('process.succeeded','process.failed','process.parked',"
        + " 'process.lost','process.cancelled')) " + (endedExactlyOnce ? "<> 1" : "> 1")))
        .as(endedExactlyOnce ? "processes not ended exactly once" : "processes ended twice").isZero();
    assertThat(db.count("select count(*) from (select task_id from journal_event where type in"
        + " ('task.completed','task.failed','task.timed_out') group by task_id having count(*) > 1) x"))
        .as("attempts ended twice").isZero();
  }
}
