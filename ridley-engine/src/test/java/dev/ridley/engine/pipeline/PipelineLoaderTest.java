package dev.ridley.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineLoaderTest {

  // The example of the file format, without its failover route (whose stages it does not declare).
  static final String DIVIDE =
      """
      name: divide                       # required
      timeout: 10m                       # process start-to-end
      defaults:                          # stage values win per field
        retry: {attempts: 3, backoff: 1s, multiplier: 2, maxBackoff: 1m, nonRetryable: [java.lang.ArithmeticException]}
        timeouts: {enqueueToPoll: 1m, pollToEnd: 30s, enqueueToEnd: 5m, heartbeat: 5s}
        maxInFlight: 0
      stages:
        divide:  {timeouts: {heartbeat: 5s}, maxInFlight: 50, retry: {attempts: 2}}
        ocean:   {}
        errors:                          # empty: all defaults
      routes:
        - divide.ok     -> ocean
        - divide.failed -> errors
        - errors.ok     -> @fail
      """;

  @Test
  void the_divide_example_loads_with_defaults_merged_into_each_stage() {
    Pipeline p = PipelineLoader.parse(DIVIDE, "pipelines/divide.yaml");

    assertThat(p.name()).isEqualTo("divide");
    assertThat(p.source()).isEqualTo("pipelines/divide.yaml");
    assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.stages()).extracting(Stage::name).containsExactly("divide", "ocean", "errors");
    assertThat(p.firstStage().name()).isEqualTo("divide");

    Timeouts defaultTimeouts =
        new Timeouts(
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofSeconds(5));
    RetryPolicy defaultRetry =
        new RetryPolicy(
            3,
            Duration.ofSeconds(1),
            2.0,
            Duration.ofMinutes(1),
            Set.of("java.lang.ArithmeticException"));

    Stage divide = p.stage("divide").orElseThrow();
    assertThat(divide.timeouts()).isEqualTo(defaultTimeouts);
    assertThat(divide.maxInFlight()).isEqualTo(50);
    assertThat(divide.retry())
        .isEqualTo(
            new RetryPolicy(
                2,
                Duration.ofSeconds(1),
                2.0,
                Duration.ofMinutes(1),
                Set.of("java.lang.ArithmeticException")));

    for (String name : new String[] {"ocean", "errors"}) {
      Stage s = p.stage(name).orElseThrow();
      assertThat(s.timeouts()).isEqualTo(defaultTimeouts);
      assertThat(s.retry()).isEqualTo(defaultRetry);
      assertThat(s.maxInFlight()).isZero();
    }

    assertThat(p.routes())
        .containsExactly(
            new Route("divide", "ok", new Target.ToStage("ocean")),
            new Route("divide", "failed", new Target.ToStage("errors")),
            new Route("errors", "ok", Target.FAIL));
  }

  @Test
  void a_stage_timeout_wins_over_the_default_for_that_timer_only() {
    Pipeline p =
        PipelineLoader.parse(
            """
            name: merge
            defaults: {timeouts: {pollToEnd: 30s}}
            stages: {a: {timeouts: {heartbeat: 5s}}, b: {timeouts: {pollToEnd: 1m}}}
            """,
            "merge.yaml");

    assertThat(p.stage("a").orElseThrow().timeouts())
        .isEqualTo(new Timeouts(null, Duration.ofSeconds(30), null, Duration.ofSeconds(5)));
    assertThat(p.stage("b").orElseThrow().timeouts())
        .isEqualTo(new Timeouts(null, Duration.ofMinutes(1), null, null));
  }

  @Test
  void a_full_file_sets_every_field_and_stage_values_win_field_by_field() {
    String yaml =
        """
        name: payments_v2
        timeout: 2h
        defaults:
          retry: {attempts: 3, backoff: 1s, multiplier: 2, maxBackoff: 1m, nonRetryable: [java.lang.ArithmeticException]}
          timeouts: {enqueueToPoll: 1m, pollToEnd: 30s, enqueueToEnd: 5m, heartbeat: 5s}
          maxInFlight: 10
        stages:
          output-1:
            retry: {attempts: 2, multiplier: 1.5, nonRetryable: []}
            timeouts: {heartbeat: 10s}
            maxInFlight: 50
          output-2: {}
          output-3:
        routes:
          - output-1.failed -> output-2
          - output-2.failed -> output-3
          - output-3.retry-later -> @park
          - output-1.invalid -> @park()
          - output-2.timeout -> @park(to=output-1)
          - output-3.failed -> "@park(replayAfter=20s, to=output-1, maxReplays=5)"
          - output-3.ok -> @done
          - output-2.ok -> @fail
        """;

    Pipeline p = PipelineLoader.parse(yaml, "full.yaml");

    assertThat(p.timeout()).isEqualTo(Duration.ofHours(2));
    Stage first = p.stage("output-1").orElseThrow();
    assertThat(first.retry())
        .isEqualTo(new RetryPolicy(2, Duration.ofSeconds(1), 1.5, Duration.ofMinutes(1), Set.of()));
    assertThat(first.timeouts())
        .isEqualTo(
            new Timeouts(
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10)));
    assertThat(first.maxInFlight()).isEqualTo(50);

    RetryPolicy defaults =
        new RetryPolicy(
            3,
            Duration.ofSeconds(1),
            2.0,
            Duration.ofMinutes(1),
            Set.of("java.lang.ArithmeticException"));
    for (String name : new String[] {"output-2", "output-3"}) {
      Stage s = p.stage(name).orElseThrow();
      assertThat(s.retry()).isEqualTo(defaults);
      assertThat(s.timeouts().heartbeat()).isEqualTo(Duration.ofSeconds(5));
      assertThat(s.maxInFlight()).isEqualTo(10);
    }

    assertThat(p.route("output-3", "retry-later")).contains(new Target.Park(null, null, null));
    assertThat(p.route("output-1", "invalid")).contains(new Target.Park(null, null, null));
    assertThat(p.route("output-2", "timeout")).contains(new Target.Park(null, "output-1", null));
    assertThat(p.route("output-3", "failed"))
        .contains(new Target.Park(Duration.ofSeconds(20), "output-1", 5));
    assertThat(p.route("output-3", "ok")).contains(Target.DONE);
    assertThat(p.route("output-2", "ok")).contains(Target.FAIL);
    assertThat(p.routes()).hasSize(8);
  }

  @Test
  void retention_is_a_duration_or_forever() {
    assertThat(PipelineLoader.parse("name: r\nretention: 7d\nstages: {a: {}}\n", "r.yaml").retention())
        .isEqualTo(Duration.ofDays(7));
    assertThat(PipelineLoader.parse("name: r\nretention: forever\nstages: {a: {}}\n", "r.yaml").retention())
        .isEqualTo(Pipeline.KEEP_FOREVER);
  }

  @Test
  void a_minimal_file_gets_the_engine_defaults() {
    Pipeline p = PipelineLoader.parse("name: tiny\nstages:\n  only:\n", "tiny.yaml");

    assertThat(p.timeout()).isEqualTo(Pipeline.DEFAULT_TIMEOUT);
    assertThat(p.retention()).isNull();
    assertThat(p.stages()).containsExactly(Stage.named("only"));
    assertThat(p.routes()).isEmpty();
  }

  @Test
  void route_tokens_may_be_surrounded_by_any_whitespace() {
    String yaml =
        """
        name: spaced
        stages: {a: {}, b: {}}
        routes:
          - "  a.ok->b  "
          - a.failed   ->   @park( replayAfter = 1m , maxReplays=2 )
        """;

    Pipeline p = PipelineLoader.parse(yaml, "spaced.yaml");

    assertThat(p.route("a", "ok")).contains(new Target.ToStage("b"));
    assertThat(p.route("a", "failed")).contains(new Target.Park(Duration.ofMinutes(1), null, 2));
  }

  @Test
  void routes_print_back_in_the_file_syntax() {
    Pipeline p =
        PipelineLoader.parse(
            "name: x\nstages: {a: {}}\nroutes: ['a.failed -> @park(replayAfter=90s, to=a)']\n",
            "x.yaml");

    assertThat(p.routes().getFirst()).hasToString("a.failed -> @park(replayAfter=90s, to=a)");
  }
}
