package dev.ridley.engine.tree;

import java.util.List;

/**
 * An action: its start and end messages and what was logged in between, in level order.
 *
 * @param start null when no start message was seen (e.g. a service's log merged without its
 *     caller's)
 * @param end null while the action runs
 * @param complete whether it has started and ended and every number between its start and end is
 *     present, each child action complete too: Eliot's own notion
 */
public record ActionNode(
    TaskLevel level, EliotMessage start, EliotMessage end, List<TreeNode> children, boolean complete)
    implements TreeNode {

  public ActionNode {
    children = List.copyOf(children);
  }

  /** The action's type, from its start (or end) message; null when neither was seen. */
  public String actionType() {
    if (start != null) return start.actionType();
    return end == null ? null : end.actionType();
  }

  /** {@code started} while running, then {@code succeeded} or {@code failed}; null if unseen. */
  public String status() {
    if (end != null) return end.actionStatus();
    return start == null ? null : EliotMessage.STARTED;
  }

  /** Seconds from start to end, or null unless both were seen. */
  public Double durationSeconds() {
    return start == null || end == null ? null : end.timestamp() - start.timestamp();
  }

  @Override
  public double firstTimestamp() {
    double t = start != null ? start.timestamp() : end != null ? end.timestamp() : Double.MAX_VALUE;
    for (TreeNode c : children) t = Math.min(t, c.firstTimestamp());
    return t;
  }
}
