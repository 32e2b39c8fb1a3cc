package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of a pipeline file, read from SnakeYAML's node tree rather than from Java objects so
 * that every error can name the line. Unknown and duplicate keys are rejected on creation; the
 * typed getters fail with the file, line and dotted key path.
 */
final class YamlMap {

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d+(\\.\\d+)?");

  private final String source;
  private final String path;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private YamlMap(String source, String path, Node node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /**
   * @param node a mapping, or an empty value (read as an empty mapping)
   * @param path the dotted key path of this mapping; empty for the document root
   * @param allowed the keys this mapping may hold, in the order messages list them; null: any
   */
  static YamlMap of(Node node, String source, String path, List<String> allowed) {
    YamlMap map = new YamlMap(source, path, node);
    if (isNull(node)) return map;
    if (!(node instanceof MappingNode mapping)) {
      String what = path.isEmpty() ? "the file" : "this key";
      throw new PipelineFileException(
          source,
          line(node),
          path.isEmpty() ? null : path,
          what + " must hold a mapping of keys to values, got " + describe(node));
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
        throw new PipelineFileException(
            source,
            line(keyNode),
            path.isEmpty() ? null : path,
            "keys must be plain names, got " + describe(keyNode));
      }
      String key = scalar.getValue();
      NodeTuple first = map.entries.putIfAbsent(key, tuple);
      if (first != null) {
        throw new PipelineFileException(
            source,
            line(keyNode),
            map.keyPath(key),
            "duplicate key; it is already set on line " + line(first.getKeyNode()));
      }
      if (allowed != null && !allowed.contains(key)) {
        throw new PipelineFileException(
            source,
            line(keyNode),
            map.keyPath(key),
            "unknown key; expected one of "
                + String.join(", ", allowed)
                + DidYouMean.hint(key, allowed));
      }
    }
    return map;
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  String source() {
    return source;
  }

  /** Line of this mapping's first key; line 1 for an empty file. */
  int line() {
    return node == null ? 1 : line(node);
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value node of {@code key}; null when the key is absent. */
  Node node(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  int keyLine(String key) {
    return line(entries.get(key).getKeyNode());
  }

  PipelineFileException error(String key, String problem) {
    return new PipelineFileException(source, line(node(key)), keyPath(key), problem);
  }

  /** A nested mapping; an absent or empty value reads as an empty mapping. */
  YamlMap map(String key, List<String> allowed) {
    return of(node(key), source, keyPath(key), allowed);
  }

  Optional<String> string(String key) {
    return has(key) ? Optional.of(scalar(key, "a text value")) : Optional.empty();
  }

  Optional<Duration> duration(String key, boolean mayBeZero) {
    if (!has(key)) return Optional.empty();
    Duration d;
    try {
      d = Durations.parse(scalar(key, "a duration like 30s"));
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
    if (!mayBeZero && d.isZero()) {
      throw error(key, "must be longer than 0; leave the key out to use the default");
    }
    return Optional.of(d);
  }

  Optional<Integer> integer(String key, int min) {
    if (!has(key)) return Optional.empty();
    String text = scalar(key, "a whole number");
    if (!WHOLE_NUMBER.matcher(text).matches()) {
      throw error(key, "expected a whole number, got '" + text + "'");
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error(key, "'" + text + "' is too large");
    }
    if (value < min) throw error(key, "must be at least " + min + ", was " + value);
    return Optional.of(value);
  }

  Optional<Double> number(String key, double min) {
    if (!has(key)) return Optional.empty();
    String text = scalar(key, "a number like 2 or 1.5");
    if (!DECIMAL.matcher(text).matches()) {
      throw error(key, "expected a number like 2 or 1.5, got '" + text + "'");
    }
    double value = Double.parseDouble(text);
    if (value < min) throw error(key, "must be at least " + min + ", was " + text);
    return Optional.of(value);
  }

  /** A list of text values; an empty value reads as an empty list. */
  Optional<List<String>> strings(String key, String whatEachIs) {
    if (!has(key)) return Optional.empty();
    List<String> values = new ArrayList<>();
    for (Node item : list(key)) {
      if (!(item instanceof ScalarNode s) || isNull(item) || s.getValue().isBlank()) {
        throw new PipelineFileException(
            source,
            line(item),
            keyPath(key),
            "each item must be " + whatEachIs + ", got " + describe(item));
      }
      values.add(s.getValue());
    }
    return Optional.of(values);
  }

  /** The items of a list; an absent or empty value reads as an empty list. */
  List<Node> list(String key) {
    Node value = node(key);
    if (value == null || isNull(value)) return List.of();
    if (!(value instanceof SequenceNode seq)) {
      throw error(key, "expected a list, got " + describe(value));
    }
    return seq.getValue();
  }

  private String scalar(String key, String expected) {
    Node value = node(key);
    if (!(value instanceof ScalarNode s) || isNull(value)) {
      throw error(key, "expected " + expected + ", got " + describe(value));
    }
    return s.getValue();
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  static String describe(Node node) {
    if (isNull(node)) return "nothing";
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    return "'" + ((ScalarNode) node).getValue() + "'";
  }
}
