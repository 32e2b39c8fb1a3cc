package dev.ridley.engine.tree;

/**
 * Every message of one Eliot task (for Ridley, one process and whatever its workers and their
 * callees logged under it), as a tree.
 *
 * @param root the root action (level {@code []}); or a lone message at {@code [1]}, which Eliot
 *     writes for a message logged outside any action
 * @param complete whether the root has ended and the whole tree is complete
 */
public record TaskTree(String taskUuid, TreeNode root, boolean complete) {}
