package dev.ridley.engine.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nests the messages of one task by their levels, as Eliot's parser does: an action message
 * belongs to the action at its level's parent, any other message sits at its level. The first
 * message seen at a level wins; later ones (the same message from another copy of a log) count as
 * duplicates.
 */
final class TreeBuilder {

  /** A stand-in the tree export writes where a worker's part is missing; a real one replaces it. */
  static final String UNTRACED = "ridley:untraced";

  private final Map<TaskLevel, EliotMessage> starts = new HashMap<>();
  private final Map<TaskLevel, EliotMessage> ends = new HashMap<>();
  private final Map<TaskLevel, EliotMessage> plain = new HashMap<>();
  private final Set<TaskLevel> actions = new HashSet<>();
  private final Map<TaskLevel, TreeSet<Integer>> childIndexes = new HashMap<>();
  private int duplicates;

  TreeBuilder(Iterable<EliotMessage> messages) {
    for (EliotMessage m : messages) add(m);
    // Two copies of a tree disagree where one lacks the worker's part: the action wins.
    plain.entrySet().removeIf(e -> actions.contains(e.getKey()) && UNTRACED.equals(e.getValue().messageType()));
    plain.keySet().forEach(this::index);
    actions.forEach(this::index);
  }

  private void add(EliotMessage m) {
    TaskLevel level = m.level();
    if (m.isAction()) {
      TaskLevel action = level.parent();
      Map<TaskLevel, EliotMessage> side = EliotMessage.STARTED.equals(m.actionStatus()) ? starts : ends;
      if (side.putIfAbsent(action, m) != null) duplicates++;
      markAction(action);
    } else {
      if (plain.putIfAbsent(level, m) != null) duplicates++;
      markAction(level.parent());
    }
  }

  private void markAction(TaskLevel level) {
    for (TaskLevel l = level; l != null && actions.add(l); l = l.parent()) {
      // an action implies every enclosing one, seen or not
    }
  }

  private void index(TaskLevel level) {
    if (level.depth() > 0) {
      childIndexes.computeIfAbsent(level.parent(), k -> new TreeSet<>()).add(level.last());
    }
  }

  int duplicates() {
    return duplicates;
  }

  boolean hasAction(TaskLevel level) {
    return actions.contains(level);
  }

  /** Eliot's special case: a task that is one message logged outside any action. */
  MessageNode loneMessage() {
    TaskLevel first = TaskLevel.of(1);
    boolean alone = plain.size() == 1 && plain.containsKey(first) && starts.isEmpty() && ends.isEmpty();
    return alone ? new MessageNode(plain.get(first)) : null;
  }

  /** The action at {@code level} with everything under it. */
  ActionNode action(TaskLevel level) {
    EliotMessage start = starts.get(level);
    EliotMessage end = ends.get(level);
    List<TreeNode> children = new ArrayList<>();
    boolean complete = start != null && end != null;
    // Complete means the children are exactly 2 .. end-1: counted, not listed, so a huge level
    // number costs nothing.
    int endAt = end == null ? 0 : end.level().last();
    int inRange = 0;
    for (int i : childIndexes.getOrDefault(level, new TreeSet<>())) {
      TaskLevel at = level.child(i);
      EliotMessage message = plain.get(at);
      if (message != null) children.add(new MessageNode(message));
      if (actions.contains(at)) {
        ActionNode child = action(at);
        children.add(child);
        complete &= child.complete() && message == null;
      }
      boolean expected = i >= 2 && i < endAt;
      complete &= expected;
      if (expected) inRange++;
    }
    complete &= inRange == Math.max(0, endAt - 2);
    return new ActionNode(level, start, end, children, complete);
  }
}
