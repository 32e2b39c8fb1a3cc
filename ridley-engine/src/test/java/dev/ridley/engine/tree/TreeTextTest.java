package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text rendering follows eliot-tree's layout, character for character. */
class TreeTextTest {

  static final String U = "8c6e9a52-3b1f-4c8e-9d2a-5f7e1b3c4d5e";
  static final String LOG = String.join("\n",
      m("[1]", "1767225600.25", "\"action_type\":\"shop:checkout\",\"action_status\":\"started\",\"items\":2,\"cart\":\"c-17\""),
      m("[2]", "1767225600.5", "\"message_type\":\"shop:priced\",\"total\":12.5"),
      m("[3,1]", "1767225601.0", "\"action_type\":\"shop:charge\",\"action_status\":\"started\""),
      m("[3,2]", "1767225601.75", "\"action_type\":\"shop:charge\",\"action_status\":\"failed\",\"exception\":\"CardDeclined\",\"reason\":\"insufficient funds\""),
      m("[4]", "1767225602.0", "\"action_type\":\"shop:checkout\",\"action_status\":\"failed\",\"exception\":\"CardDeclined\",\"reason\":\"payment failed\\nsee the charge\""));

  static String m(String level, String at, String rest) {
    return "{\"task_uuid\":\"" + U + "\",\"task_level\":" + level + ",\"timestamp\":" + at + "," + rest + "}";
  }

  static TaskTree tree() throws IOException {
    List<EliotMessage> messages = EliotLines.read(new BufferedReader(new StringReader(LOG)), "t").messages();
    return Trees.merge(messages).tasks().getFirst();
  }

  @Test
  void actions_messages_fields_and_end_messages_render_as_eliot_tree_draws_them() throws IOException {
    assertThat(TreeText.render(List.of(tree()), TreeText.DEFAULT_FIELD_LIMIT)).isEqualTo("""
        8c6e9a52-3b1f-4c8e-9d2a-5f7e1b3c4d5e
        └── shop:checkout/1 ⇒ started 2026-01-01 00:00:00 ⧖ 1.750s
            ├── cart: c-17
            ├── items: 2
            ├── shop:priced/2 2026-01-01 00:00:00
            │   └── total: 12.5
            ├── shop:charge/3/1 ⇒ started 2026-01-01 00:00:01 ⧖ 0.750s
            │   └── shop:charge/3/2 ⇒ failed 2026-01-01 00:00:01
            │       ├── exception: CardDeclined
            │       └── reason: insufficient funds
            └── shop:checkout/4 ⇒ failed 2026-01-01 00:00:02
                ├── exception: CardDeclined
                └── reason: payment failed…

        """);
  }

  @Test
  void without_a_field_limit_a_multi_line_value_continues_under_its_line() throws IOException {
    assertThat(TreeText.render(tree(), 0)).endsWith("""
                └── reason: payment failed⏎
                    see the charge
        """);
  }

  @Test
  void long_values_are_cut_at_the_field_limit() throws IOException {
    assertThat(TreeText.render(tree(), 5)).contains("├── cart: c-17\n").contains("└── reason: insuf…\n");
  }

  @Test
  void control_characters_are_shown_as_their_pictures() {
    assertThat(TreeText.escape("a\tb\u001b[31m")).isEqualTo("a␉b␛[31m");
  }
}
