package dev.ridley.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

  @Test
  void a_typo_or_a_swap_suggests_the_intended_word() {
    assertThat(DidYouMean.closest("hartbeat", StageSettings.TIMEOUT_KEYS)).contains("heartbeat");
    assertThat(DidYouMean.closest("hearbteat", StageSettings.TIMEOUT_KEYS)).contains("heartbeat");
    assertThat(DidYouMean.closest("MaxInflight", StageSettings.KEYS)).contains("maxInFlight");
  }

  @Test
  void a_word_unlike_any_candidate_suggests_nothing() {
    assertThat(DidYouMean.closest("owner", PipelineParser.KEYS)).isEmpty();
    assertThat(DidYouMean.closest("ok", List.of("on", "to"))).isEmpty();
    assertThat(DidYouMean.hint("x", List.of())).isEmpty();
  }
}
