package dev.ridley.engine.pipeline;

import static dev.ridley.engine.pipeline.PipelineFileErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code transport: amqp|http}, at the top level (every stage), in defaults and per stage. */
class TransportKeyTest {

  @Test
  void stages_are_http_unless_the_file_says_amqp() {
    Pipeline p = PipelineLoader.parse("name: d\nstages: {a: {}}\n", "d.yaml");
    assertThat(p.firstStage().transport()).isEqualTo(Transport.HTTP);
  }

  @Test
  void a_top_level_transport_applies_to_every_stage_that_names_none() {
    Pipeline p = PipelineLoader.parse(
        "name: d\ntransport: amqp\nstages: {a: {}, b: {transport: http}}\n", "d.yaml");
    assertThat(p.stage("a").orElseThrow().brokered()).isTrue();
    assertThat(p.stage("b").orElseThrow().transport()).isEqualTo(Transport.HTTP);
  }

  @Test
  void a_stage_may_ask_for_amqp_alone() {
    Pipeline p = PipelineLoader.parse("name: d\nstages: {divide: {transport: amqp}, ocean: {}}\n", "d.yaml");
    assertThat(p.stage("divide").orElseThrow().brokered()).isTrue();
    assertThat(p.stage("ocean").orElseThrow().brokered()).isFalse();
  }

  @Test
  void an_unknown_transport_is_refused_with_the_two_it_takes() {
    var e = errorOf("name: d\nstages: {a: {transport: rabbit}}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("'rabbit' is not a transport").contains("http").contains("amqp");
  }
}
