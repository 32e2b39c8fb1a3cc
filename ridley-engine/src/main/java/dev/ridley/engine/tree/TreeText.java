package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders trees as eliot-tree does: the task uuid, then each action as {@code type/level ⇒
 * status time ⧖ duration} with its start fields, children and end message beneath; each message
 * as {@code type/level time} with its fields. Times are UTC.
 */
public final class TreeText {

  /** Field values are cut at this length or their first newline, as eliot-tree's default. */
  public static final int DEFAULT_FIELD_LIMIT = 100;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private record Item(String label, List<Item> children) {}

  private TreeText() {}

  /**
   * @param fieldLimit cut values longer than this (0: never); a cut value ends with {@code …}
   */
  public static String render(List<TaskTree> trees, int fieldLimit) {
    StringBuilder sb = new StringBuilder();
    for (TaskTree t : trees) {
      sb.append(render(t, fieldLimit)).append('\n');
    }
    return sb.toString();
  }

  public static String render(TaskTree tree, int fieldLimit) {
    TreeText.Renderer r = new Renderer(fieldLimit);
    Item task = new Item(tree.taskUuid(), List.of(r.node(tree.root())));
    StringBuilder sb = new StringBuilder(escape(task.label())).append('\n');
    lines(task.children(), "", sb);
    return sb.toString();
  }

  private static void lines(List<Item> items, String prefix, StringBuilder sb) {
    for (int i = 0; i < items.size(); i++) {
      boolean last = i == items.size() - 1;
      String next = prefix + (last ? "    " : "│   ");
      Item item = items.get(i);
      sb.append(prefix).append(last ? "└── " : "├── ")
          .append(item.label().replace("\n", "⏎\n" + next)).append('\n');
      lines(item.children(), next, sb);
    }
  }

  private record Renderer(int fieldLimit) {

    Item node(TreeNode node) {
      return switch (node) {
        case ActionNode a -> action(a);
        case MessageNode m -> message(m.message(), null);
      };
    }

    private Item action(ActionNode a) {
      List<Item> children = new ArrayList<>();
      if (a.start() != null) children.addAll(fields(a.start().fields()));
      a.children().forEach(c -> children.add(node(c)));
      if (a.end() != null) children.add(message(a.end(), a.end().actionStatus()));
      String name = a.start() == null
          ? "<unnamed>" + (a.level().depth() == 0 ? "" : a.level().toString())
          : escape(a.actionType()) + a.start().level() + " ⇒ started " + TIME.format(a.start().at());
      if (a.durationSeconds() != null) {
        name += String.format(Locale.ROOT, " ⧖ %.3fs", a.durationSeconds());
      }
      return new Item(name, children);
    }

    private Item message(EliotMessage m, String status) {
      String type = m.type() == null ? "<unnamed>" : escape(m.type());
      String name = type + m.level() + (status == null ? " " : " ⇒ " + status + " ") + TIME.format(m.at());
      return new Item(name, fields(m.fields()));
    }

    private List<Item> fields(JsonNode object) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      object.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
      List<Item> out = new ArrayList<>();
      sorted.forEach((k, v) -> out.add(field(k, v)));
      return out;
    }

    private Item field(String key, JsonNode value) {
      if (value.isObject()) {
        return new Item(escape(key) + ":", fields((ObjectNode) value));
      }
      if (value.isArray()) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) items.add(field(String.valueOf(i), value.get(i)));
        return new Item(escape(key) + ":", items);
      }
      return new Item(escape(key) + ": " + limit(escape(value.isTextual() ? value.asText() : value.toString())), List.of());
    }

    private String limit(String value) {
      if (fieldLimit <= 0) return value;
      int nl = value.indexOf('\n');
      String first = nl < 0 ? value : value.substring(0, nl);
      return first.length() > fieldLimit || nl >= 0 ? first.substring(0, Math.min(fieldLimit, first.length())) + "…" : value;
    }
  }

  /** Terminal control characters become their visible Unicode pictures; newlines stay. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '\n') sb.append(c);
      else if (c < 0x20) sb.append((char) (0x2400 + c));
      else if (c == 0x7f) sb.append('\u2421');
      else sb.append(c);
    }
    return sb.toString();
  }
}
