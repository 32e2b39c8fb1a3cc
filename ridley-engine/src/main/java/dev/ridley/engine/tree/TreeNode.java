package dev.ridley.engine.tree;

/** A node of a task's tree: an action (with its children) or a message logged in one. */
public sealed interface TreeNode permits ActionNode, MessageNode {

  /** An action's own level (its start message's without the last number); a message's level. */
  TaskLevel level();

  /** The earliest timestamp in this node, for ordering tasks. */
  double firstTimestamp();
}
