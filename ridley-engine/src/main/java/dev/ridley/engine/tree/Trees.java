package dev.ridley.engine.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups Eliot messages from any number of logs (a process's export, its workers' logs, the
 * services they called) into one tree per task, like {@code cat *.log | eliot-tree}. Order does
 * not matter; a message seen twice (two copies of a log) counts once.
 */
public final class Trees {

  /**
   * @param tasks one tree per task uuid, the earliest first
   * @param duplicates messages ignored because another was already at their level
   */
  public record Merged(List<TaskTree> tasks, int duplicates) {}

  private Trees() {}

  public static Merged merge(Iterable<EliotMessage> messages) {
    Map<String, List<EliotMessage>> byTask = new LinkedHashMap<>();
    for (EliotMessage m : messages) {
      byTask.computeIfAbsent(m.taskUuid(), k -> new ArrayList<>()).add(m);
    }
    List<TaskTree> tasks = new ArrayList<>();
    int duplicates = 0;
    for (var e : byTask.entrySet()) {
      TreeBuilder b = new TreeBuilder(e.getValue());
      duplicates += b.duplicates();
      tasks.add(tree(e.getKey(), b));
    }
    tasks.sort(Comparator.comparingDouble(t -> t.root().firstTimestamp()));
    return new Merged(List.copyOf(tasks), duplicates);
  }

  /** The tree of one task; messages of other tasks are not expected here. */
  public static TaskTree of(String taskUuid, Iterable<EliotMessage> messages) {
    return tree(taskUuid, new TreeBuilder(messages));
  }

  private static TaskTree tree(String taskUuid, TreeBuilder b) {
    MessageNode lone = b.loneMessage();
    if (lone != null) {
      return new TaskTree(taskUuid, lone, true);
    }
    ActionNode root = b.action(TaskLevel.ROOT);
    return new TaskTree(taskUuid, root, root.complete());
  }

  /** The node at {@code level} in a tree, or null. */
  public static TreeNode find(TaskTree tree, TaskLevel level) {
    TreeNode node = tree.root();
    while (node != null && !node.level().equals(level)) {
      TreeNode next = null;
      if (node instanceof ActionNode a) {
        for (TreeNode c : a.children()) {
          if (level.startsWith(c.level()) && (next == null || c instanceof ActionNode)) next = c;
        }
      }
      node = next;
    }
    return node;
  }
}
