package dev.ridley.engine.pipeline;

import static dev.ridley.engine.pipeline.PipelineFileErrors.assertLocated;
import static dev.ridley.engine.pipeline.PipelineFileErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteErrorsTest {

  /** Stages divide, ocean, errors; the route under test is on line 6, key routes[1]. */
  private static PipelineFileException routeError(String route) {
    return assertLocated(
        errorOf(
            "name: divide\n"
                + "stages: {divide: {}, ocean: {}, errors: {}}\n"
                + "routes:\n"
                + "  # a comment\n"
                + "  - divide.ok -> ocean\n"
                + "  - "
                + route
                + "\n"),
        6,
        "routes[1]");
  }

  @Test
  void route_to_an_unknown_stage_names_the_route_and_lists_the_stages() {
    assertThat(routeError("divide.failed -> eror"))
        .hasMessageEndingWith(
            "route 'divide.failed -> eror' goes to unknown stage 'eror'; the stages are divide,"
                + " ocean, errors; did you mean 'errors'?");
  }

  @Test
  void route_from_an_unknown_stage_names_the_route_and_lists_the_stages() {
    assertThat(routeError("divdie.failed -> errors"))
        .hasMessageEndingWith(
            "route 'divdie.failed -> errors' starts at unknown stage 'divdie'; the stages are"
                + " divide, ocean, errors; did you mean 'divide'?");
  }

  @Test
  void target_without_its_at_sign_suggests_the_special_target() {
    assertThat(routeError("ocean.ok -> done")).hasMessageEndingWith("did you mean '@done'?");
  }

  @Test
  void duplicate_route_for_the_same_stage_and_outcome_names_the_first_line() {
    assertThat(routeError("divide.ok -> errors"))
        .hasMessageContaining("repeats divide.ok, already routed on line 5");
  }

  @Test
  void malformed_routes_show_the_expected_form() {
    String form = "write '<stage>.<outcome> -> <target>'";
    assertThat(routeError("divide.ok ocean")).hasMessageContaining("is malformed; " + form);
    assertThat(routeError("divide.ok -> ocean -> errors"))
        .hasMessageContaining("is malformed; " + form);
    assertThat(routeError("divide -> ocean"))
        .hasMessageContaining("has no outcome before '->'; " + form);
    assertThat(routeError("divide.invalid ->"))
        .hasMessageContaining("has no target after '->'; " + form);
    assertThat(routeError("divide.OK -> ocean"))
        .hasMessageContaining("'OK' is not an outcome name");
    assertThat(routeError("divide.ok -> ocean!"))
        .hasMessageContaining("'ocean!' is not a stage name");
  }

  @Test
  void a_route_written_as_a_yaml_mapping_explains_the_string_form() {
    assertThat(routeError("divide.failed: errors"))
        .hasMessageContaining(
            "expected a route string, got a mapping; write '<stage>.<outcome> -> <target>'");
  }

  @Test
  void unknown_special_target_suggests_the_close_one() {
    assertThat(routeError("ocean.ok -> @dnoe"))
        .hasMessageContaining(
            "unknown target '@dnoe'; expected a stage, @done, @fail or @park(...)")
        .hasMessageEndingWith("did you mean '@done'?");
  }

  @Test
  void done_and_fail_take_no_options() {
    assertThat(routeError("ocean.ok -> @done(now=1)"))
        .hasMessageEndingWith("@done takes no options");
  }

  @Test
  void unknown_park_option_lists_the_known_ones() {
    assertThat(routeError("ocean.failed -> @park(replayAfter=20s, maxReplay=5)"))
        .hasMessageEndingWith(
            "unknown park option 'maxReplay'; expected one of replayAfter, to, maxReplays;"
                + " did you mean 'maxReplays'?");
  }

  @Test
  void park_option_values_are_checked() {
    assertThat(routeError("ocean.failed -> @park(to)"))
        .hasMessageContaining("park option 'to' is malformed; write name=value");
    assertThat(routeError("ocean.failed -> @park(replayAfter=soon)"))
        .hasMessageContaining("replayAfter 'soon' is not a duration");
    assertThat(routeError("ocean.failed -> @park(replayAfter=0s)"))
        .hasMessageContaining("replayAfter must be longer than 0");
    assertThat(routeError("ocean.failed -> @park(maxReplays=0)"))
        .hasMessageContaining("maxReplays must be a whole number of at least 1");
    assertThat(routeError("ocean.failed -> @park(to=ocen)"))
        .hasMessageContaining("parks to unknown stage 'ocen'")
        .hasMessageEndingWith("did you mean 'ocean'?");
    assertThat(routeError("ocean.failed -> @park(to=divide, to=ocean)"))
        .hasMessageEndingWith("park option 'to' is given twice");
  }

  @Test
  void routes_must_be_a_list() {
    var e = errorOf("name: d\nstages: {a: {}}\nroutes: a.ok -> @done\n");

    assertLocated(e, 3, "routes");
    assertThat(e).hasMessageEndingWith("expected a list, got 'a.ok -> @done'");
  }
}
