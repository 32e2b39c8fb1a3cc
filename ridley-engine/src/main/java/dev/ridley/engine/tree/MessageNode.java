package dev.ridley.engine.tree;

/** A message logged inside an action (not an action's start or end). */
public record MessageNode(EliotMessage message) implements TreeNode {

  @Override
  public TaskLevel level() {
    return message.level();
  }

  @Override
  public double firstTimestamp() {
    return message.timestamp();
  }
}
