package dev.ridley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness works end to end on a small load: both worker modes drain a pipeline with every
 * message checked, and the latency workload measures. The real runs are `./ridley bench`, never
 * part of the build.
 */
class BenchSmokeTest {

  private static final String DB = TestDatabase.freshUrl();

  @Test
  void in_process_workers_drain_a_small_pipeline_with_every_message_checked() throws Exception {
    Map<String, Object> r = PipelineBench.run(DB, options(Setup.Mode.INPROC, false), 60, 0);

    assertThat(r).containsEntry("peer", "ridley").containsEntry("messages", 60).containsEntry("pending_in_db_after", 0L);
    assertThat((double) r.get("transitions_per_s")).isPositive();
    assertThat(JsonLine.of(r)).startsWith("{\"peer\":\"ridley\", \"version\":").contains("\"transitions_per_s\":");
  }

  @Test
  void http_workers_drain_a_small_pipeline_over_the_protocol() throws Exception {
    Map<String, Object> r = PipelineBench.run(DB, options(Setup.Mode.HTTP, true), 60, 30);

    // The warm-up's 30 messages were emptied away: the checks saw exactly the measured 60.
    assertThat(r).containsEntry("protocol", "http-batch").containsEntry("pending_in_db_after", 0L)
        .containsEntry("messages", 60).containsEntry("warmup_messages", 30);
  }

  @Test
  void amqp_workers_drain_a_small_pipeline_through_rabbitmq() throws Exception {
    System.setProperty("ridley.amqp.url", dev.ridley.engine.testing.TestRabbit.shared().url());
    try {
      Map<String, Object> r = PipelineBench.run(DB, options(Setup.Mode.AMQP, true), 60, 0);
      assertThat(r).containsEntry("protocol", "amqp").containsEntry("messages", 60).containsEntry("pending_in_db_after", 0L);
      assertThat((double) r.get("messages_per_s")).isPositive();
    } finally {
      System.clearProperty("ridley.amqp.url");
    }
  }

  @Test
  void latency_reports_percentiles_of_start_to_handler_and_to_terminal() throws Exception {
    Map<String, Object> r = LatencyBench.run(DB, options(Setup.Mode.INPROC, false), 50, 1, 0);

    assertThat(r).containsEntry("jobs", 50);
    assertThat((double) r.get("p99_ms")).isGreaterThanOrEqualTo((double) r.get("p50_ms"));
    assertThat((double) r.get("terminal_p50_ms")).isGreaterThanOrEqualTo((double) r.get("p50_ms"));
  }

  @Test
  void latency_splits_every_start_to_handler_time_into_phases_that_add_up() throws Exception {
    Map<String, Object> r = LatencyBench.run(DB, options(Setup.Mode.INPROC, false), 50, 1, 0);

    assertThat(r).containsEntry("split_messages", 50);
    double phases = 0;
    for (String p : new String[] {"to_engine", "to_claim", "to_worker", "to_handler"}) {
      assertThat((double) r.get("split_" + p + "_p50_ms")).as(p).isGreaterThanOrEqualTo(-1.0); // one clock, to the µs
      assertThat((double) r.get("split_" + p + "_p99_ms")).as(p).isGreaterThanOrEqualTo((double) r.get("split_" + p + "_p50_ms"));
      phases += (double) r.get("split_" + p + "_p50_ms");
    }
    // Medians of parts do not add up exactly to the median of the whole, but cannot exceed its max.
    assertThat(phases).isLessThanOrEqualTo((double) r.get("max_ms") * 4);
    assertThat((double) r.get("split_start_call_p50_ms")).isPositive();
  }

  @Test
  void the_timer_storm_pipeline_starts_one_by_one_and_drains_with_no_timer_fired_twice() throws Exception {
    Map<String, Object> r = PipelineBench.run(DB, options(Setup.Mode.INPROC, true), 60, 0,
        new PipelineBench.Shape(1, false, true));

    // One attempt in the storm goes silent (message 0 at stage 1): its heartbeat timer fires once,
    // the retry runs, and the message still ends SUCCEEDED (checked by the bench).
    assertThat(r).containsEntry("insert", "single").containsEntry("timer_storm", true)
        .containsEntry("silent_attempts", 1L).containsEntry("timers_fired", 1L)
        .containsEntry("timers_fired_twice", 0L).containsEntry("pending_in_db_after", 0L);
  }

  @Test
  void two_nodes_drain_the_timer_storm_and_every_silent_attempt_times_out_once() throws Exception {
    Map<String, Object> r = PipelineBench.run(DB, options(Setup.Mode.HTTP, true), 100, 0,
        new PipelineBench.Shape(2, true, true));

    assertThat(r).containsEntry("nodes", 2).containsEntry("silent_attempts", 1L)
        .containsEntry("timers_fired", 1L).containsEntry("timers_fired_twice", 0L)
        .containsEntry("pending_in_db_after", 0L);
  }

  @Test
  void starts_count_single_and_bulk_starts_and_every_one_is_in_the_database() throws Exception {
    Map<String, Object> r = StartsBench.run(DB, options(Setup.Mode.HTTP, true), 8, 1, 50, 2);

    assertThat((long) r.get("single_starts")).isPositive();
    assertThat((long) r.get("batch_starts") % 50).isZero();
    assertThat((double) r.get("batch_starts_per_s")).isPositive();
  }

  @Test
  void counts_fill_the_tables_and_the_answered_counts_equal_a_count_of_them() throws Exception {
    Map<String, Object> r = CountsBench.run(DB, options(Setup.Mode.HTTP, true), 3000, 20);

    // 0.1% of the processes are left RUNNING: the rest are counted, by the answer as by count(*).
    assertThat(r).containsEntry("processes", 3000).containsEntry("ended_counted", 2997L);
    assertThat((double) r.get("p99_ms")).isGreaterThanOrEqualTo((double) r.get("p50_ms"));
  }

  @Test
  void counts_in_process_check_the_engines_answer_against_a_count_of_the_tables() throws Exception {
    Map<String, Object> r = CountsBench.run(DB, options(Setup.Mode.INPROC, false), 2000, 20);

    assertThat(r).containsEntry("mode", "inproc").containsEntry("ended_counted", 1998L);
  }

  private static Setup.Options options(Setup.Mode mode, boolean batch) {
    return new Setup.Options(mode, 16, 64, batch, true, List.of(), false);
  }
}
