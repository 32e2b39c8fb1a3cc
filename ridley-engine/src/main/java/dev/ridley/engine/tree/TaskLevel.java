package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a message sits in its task's tree, as Eliot numbers it: {@code [2, 3]} is the third message
 * of the action that is the second item of the root action. An action's own level is its start
 * message's level without the last number: the action at {@code /2} starts with {@code [2, 1]},
 * its children are {@code [2, 2]}, {@code [2, 3]}, … and its end message comes last.
 *
 * @param parts the numbers, each at least 1; empty for the root action's level
 */
public record TaskLevel(List<Integer> parts) implements Comparable<TaskLevel> {

  /** The level of a task's root action, whose start message is {@code [1]}. */
  public static final TaskLevel ROOT = new TaskLevel(List.of());

  public TaskLevel {
    parts = List.copyOf(parts);
    for (int p : parts) {
      if (p < 1) {
        throw new IllegalArgumentException("task_level numbers start at 1, got " + parts);
      }
    }
  }

  public static TaskLevel of(int... parts) {
    List<Integer> list = new ArrayList<>(parts.length);
    for (int p : parts) list.add(p);
    return new TaskLevel(list);
  }

  /** Parses Eliot's string form, as in a serialized task id: {@code /2/3}. */
  public static TaskLevel parse(String text) {
    List<Integer> list = new ArrayList<>();
    for (String part : text.split("/")) {
      if (part.isEmpty()) continue;
      try {
        list.add(Integer.parseInt(part));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a task level like /2/3");
      }
    }
    return new TaskLevel(list);
  }

  /**
   * @throws IllegalArgumentException unless the node is a non-empty list of whole numbers from 1
   */
  public static TaskLevel fromJson(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("task_level must be a non-empty list of numbers, was " + node);
    }
    List<Integer> list = new ArrayList<>(node.size());
    for (JsonNode n : node) {
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw new IllegalArgumentException("task_level must hold whole numbers, was " + node);
      }
      list.add(n.asInt());
    }
    return new TaskLevel(list);
  }

  public int depth() {
    return parts.size();
  }

  /** The last number: the position within the parent action. */
  public int last() {
    return parts.getLast();
  }

  /** The enclosing level, or null for the root. */
  public TaskLevel parent() {
    return parts.isEmpty() ? null : new TaskLevel(parts.subList(0, parts.size() - 1));
  }

  public TaskLevel child(int index) {
    List<Integer> list = new ArrayList<>(parts);
    list.add(index);
    return new TaskLevel(list);
  }

  public boolean startsWith(TaskLevel prefix) {
    return parts.size() >= prefix.parts.size() && parts.subList(0, prefix.parts.size()).equals(prefix.parts);
  }

  /** This level moved from under {@code from} to under {@code to}; it must start with {@code from}. */
  public TaskLevel rebase(TaskLevel from, TaskLevel to) {
    List<Integer> list = new ArrayList<>(to.parts);
    list.addAll(parts.subList(from.parts.size(), parts.size()));
    return new TaskLevel(list);
  }

  public ArrayNode toJson() {
    ArrayNode a = TreeMapper.MAPPER.createArrayNode();
    parts.forEach(a::add);
    return a;
  }

  /** Lexicographic: an action's start comes before its children, which come before its end. */
  @Override
  public int compareTo(TaskLevel o) {
    int n = Math.min(parts.size(), o.parts.size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(parts.get(i), o.parts.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(parts.size(), o.parts.size());
  }

  /** Eliot's string form, {@code /2/3}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int p : parts) sb.append('/').append(p);
    return sb.isEmpty() ? "/" : sb.toString();
  }
}
