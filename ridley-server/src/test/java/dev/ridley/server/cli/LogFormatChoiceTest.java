package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RIDLEY_LOG_FORMAT: text or json; unset, text on a terminal and JSON lines otherwise. */
class LogFormatChoiceTest {

  @Test
  void unset_is_text_on_a_terminal_and_json_otherwise() {
    assertThat(RidleyCli.logAppender(null, true)).isEqualTo("TEXT");
    assertThat(RidleyCli.logAppender(null, false)).isEqualTo("JSON");
    assertThat(RidleyCli.logAppender(" ", false)).isEqualTo("JSON");
  }

  @Test
  void text_or_json_in_any_case_wins_over_the_terminal() {
    assertThat(RidleyCli.logAppender("json", true)).isEqualTo("JSON");
    assertThat(RidleyCli.logAppender("Text", false)).isEqualTo("TEXT");
  }

  @Test
  void anything_else_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> RidleyCli.logAppender("xml", false))
        .hasMessageContaining("RIDLEY_LOG_FORMAT").hasMessageContaining("xml");
  }
}
