package dev.ridley.engine.pipeline;

import static dev.ridley.engine.pipeline.PipelineFileErrors.FILE;
import static dev.ridley.engine.pipeline.PipelineFileErrors.assertLocated;
import static dev.ridley.engine.pipeline.PipelineFileErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.RidleyException;
import org.junit.jupiter.api.Test;

class PipelineFileErrorsTest {

  @Test
  void unknown_key_names_file_line_and_key() {
    var e =
        errorOf(
            """
            name: divide
            timeout: 10m
            defaults:
              retry: {attempts: 3}
            stages:
              divide:
                timeouts:
                  hartbeat: 5s
            """);

    assertLocated(e, 8, "stages.divide.timeouts.hartbeat");
    assertThat(e)
        .isInstanceOf(RidleyException.class)
        .hasMessage(
            FILE
                + " line 8, key 'stages.divide.timeouts.hartbeat': unknown key; expected one of"
                + " enqueueToPoll, pollToEnd, enqueueToEnd, heartbeat; did you mean 'heartbeat'?");
  }

  @Test
  void unknown_key_far_from_every_allowed_key_only_lists_them() {
    var e = errorOf("name: divide\nowner: team-a\nstages: {a: {}}\n");

    assertLocated(e, 2, "owner");
    assertThat(e.problem())
        .isEqualTo("unknown key; expected one of name, timeout, retention, defaults, stages, routes, notify, transport");
  }

  @Test
  void unknown_key_in_defaults_retry_suggests_the_close_one() {
    var e = errorOf("name: d\ndefaults:\n  retry: {atempts: 3}\nstages: {a: {}}\n");

    assertLocated(e, 3, "defaults.retry.atempts");
    assertThat(e).hasMessageEndingWith("did you mean 'attempts'?");
  }

  @Test
  void a_retention_that_is_not_a_duration_says_what_to_write() {
    var e = errorOf("name: d\nretention: a week\nstages: {a: {}}\n");

    assertLocated(e, 2, "retention");
    assertThat(e.problem())
        .isEqualTo("'a week' is not a retention; write how long an ended process is kept, e.g."
            + " 'retention: 7d' (units ms, s, m, h, d), or 'retention: forever'");
  }

  @Test
  void a_retention_under_a_second_is_refused() {
    var e = errorOf("name: d\nretention: 0s\nstages: {a: {}}\n");

    assertLocated(e, 2, "retention");
    assertThat(e.problem()).startsWith("must be at least 1s, was 0s");
  }

  @Test
  void bad_duration_uses_the_duration_format_message() {
    var e = errorOf("name: d\ntimeout: 10 minutes\nstages: {a: {}}\n");

    assertLocated(e, 2, "timeout");
    assertThat(e)
        .hasMessageContaining("'10 minutes' is not a duration; write a whole number and a unit");
  }

  @Test
  void zero_timer_is_rejected_rather_than_firing_at_once() {
    var e = errorOf("name: d\nstages:\n  a: {timeouts: {pollToEnd: 0s}}\n");

    assertLocated(e, 3, "stages.a.timeouts.pollToEnd");
    assertThat(e).hasMessageContaining("must be longer than 0");
  }

  @Test
  void wrong_type_for_attempts_says_what_was_expected() {
    var e = errorOf("name: d\nstages:\n  a:\n    retry:\n      attempts: \"x\"\n");

    assertLocated(e, 5, "stages.a.retry.attempts");
    assertThat(e).hasMessageEndingWith("expected a whole number, got 'x'");
  }

  @Test
  void wrong_type_for_a_duration_given_a_list() {
    var e = errorOf("name: d\nstages:\n  a: {retry: {backoff: [1s]}}\n");

    assertLocated(e, 3, "stages.a.retry.backoff");
    assertThat(e).hasMessageEndingWith("expected a duration like 30s, got a list");
  }

  @Test
  void wrong_type_for_stages_given_a_list() {
    var e = errorOf("name: d\nstages:\n  - a\n  - b\n");

    assertLocated(e, 3, "stages");
    assertThat(e).hasMessageContaining("must hold a mapping of keys to values, got a list");
  }

  @Test
  void wrong_type_for_non_retryable_given_a_single_name() {
    var e = errorOf("name: d\nstages:\n  a: {retry: {nonRetryable: java.lang.Error}}\n");

    assertLocated(e, 3, "stages.a.retry.nonRetryable");
    assertThat(e).hasMessageContaining("expected a list, got 'java.lang.Error'");
  }

  @Test
  void out_of_range_numbers_are_rejected_not_corrected() {
    assertThat(
            assertLocated(
                errorOf("name: d\nstages: {a: {retry: {attempts: 0}}}\n"),
                2,
                "stages.a.retry.attempts"))
        .hasMessageEndingWith("must be at least 1, was 0");
    assertThat(
            assertLocated(
                errorOf("name: d\ndefaults: {retry: {multiplier: 0.5}}\nstages: {a: {}}\n"),
                2,
                "defaults.retry.multiplier"))
        .hasMessageEndingWith("must be at least 1.0, was 0.5");
    assertThat(
            assertLocated(
                errorOf("name: d\nstages: {a: {maxInFlight: -1}}\n"), 2, "stages.a.maxInFlight"))
        .hasMessageEndingWith("must be at least 0, was -1");
  }

  @Test
  void missing_name_points_at_the_top_of_the_file() {
    var e = errorOf("# no name here\nstages: {a: {}}\n");

    assertLocated(e, 2, "name");
    assertThat(e).hasMessageContaining("missing; every pipeline file needs a name");
  }

  @Test
  void name_with_capitals_or_spaces_is_rejected() {
    var e = errorOf("name: My Pipeline\nstages: {a: {}}\n");

    assertLocated(e, 1, "name");
    assertThat(e).hasMessageContaining("'My Pipeline' is not a pipeline name");
  }

  @Test
  void missing_stages_is_an_error() {
    assertThat(assertLocated(errorOf("name: d\ntimeout: 1m\n"), 1, "stages"))
        .hasMessageContaining("missing; list at least one stage");
  }

  @Test
  void empty_stages_is_an_error() {
    assertThat(assertLocated(errorOf("name: d\nstages: {}\n"), 2, "stages"))
        .hasMessageContaining("no stages");
    assertThat(assertLocated(errorOf("name: d\nstages:\nroutes: []\n"), 2, "stages"))
        .hasMessageContaining("no stages");
  }

  @Test
  void stage_name_with_a_dot_is_rejected() {
    var e = errorOf("name: d\nstages:\n  a: {}\n  out.put: {}\n");

    assertLocated(e, 4, "stages.out.put");
    assertThat(e).hasMessageContaining("'out.put' is not a stage name");
  }

  @Test
  void duplicate_key_names_both_lines() {
    var e = errorOf("name: d\nstages:\n  a: {maxInFlight: 1}\n  b: {}\n  a: {}\n");

    assertLocated(e, 5, "stages.a");
    assertThat(e).hasMessageEndingWith("duplicate key; it is already set on line 3");
  }

  @Test
  void duplicate_key_in_a_flow_mapping_is_an_error_too() {
    var e = errorOf("name: d\nstages:\n  a: {retry: {attempts: 2, attempts: 3}}\n");

    assertLocated(e, 3, "stages.a.retry.attempts");
    assertThat(e).hasMessageContaining("duplicate key");
  }

  @Test
  void invalid_yaml_syntax_reports_the_parser_line() {
    var e = errorOf("name: d\nstages:\n  a: {maxInFlight: 1\n  b: {}\n");

    assertThat(e.file()).isEqualTo(FILE);
    assertThat(e.key()).isNull();
    assertThat(e.line()).isBetween(3, 5);
    assertThat(e).hasMessageStartingWith(FILE + " line " + e.line() + ": invalid YAML: ");
  }

  @Test
  void tab_indentation_reports_its_line() {
    var e = errorOf("name: d\nstages:\n\ta: {}\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e).hasMessageContaining("invalid YAML");
  }

  @Test
  void two_documents_in_one_file_are_rejected() {
    var e = errorOf("name: d\nstages: {a: {}}\n---\nname: e\nstages: {b: {}}\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e).hasMessageContaining("invalid YAML");
  }

  @Test
  void a_file_that_is_not_a_mapping_says_so() {
    var e = errorOf("- name: d\n");

    assertThat(e.line()).isEqualTo(1);
    assertThat(e)
        .hasMessage(FILE + " line 1: the file must hold a mapping of keys to values, got a list");
  }

  @Test
  void an_empty_file_misses_its_name() {
    assertLocated(errorOf(""), 1, "name");
  }
}
