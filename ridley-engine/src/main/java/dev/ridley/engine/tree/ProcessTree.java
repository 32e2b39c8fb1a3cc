package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import java.util.List;
import java.util.UUID;

/**
 * The action tree of one process, built from its journal and its tasks (whose {@code trace} holds
 * what the workers logged): one Eliot task whose {@code task_uuid} is the process id, numbered as
 * {@link TraceIds} describes. A running process's unfinished actions have only their start.
 *
 * <pre>{@code
 * ProcessTree tree = ProcessTree.of(id, engine.events(id), engine.tasks(id));
 * String lines = tree.toEliotLines();   // for eliot-tree, or to merge with workers' logs
 * }</pre>
 */
public final class ProcessTree {

  private final UUID processId;
  private final List<EliotMessage> messages;
  private final TaskTree tree;

  private ProcessTree(UUID processId, List<EliotMessage> messages) {
    this.processId = processId;
    this.messages = List.copyOf(messages);
    this.tree = Trees.of(processId.toString(), messages);
  }

  /**
   * @param events the process's journal, oldest first
   * @param tasks its tasks; read after the journal, so each task the journal names is there
   */
  public static ProcessTree of(UUID processId, List<JournalEvent> events, List<TaskView> tasks) {
    return new ProcessTree(processId, Export.messages(Journey.of(processId, events, tasks)));
  }

  public UUID processId() {
    return processId;
  }

  /** The Eliot messages, in level order. */
  public List<EliotMessage> messages() {
    return messages;
  }

  public TaskTree tree() {
    return tree;
  }

  /** Eliot JSON lines, one message per line. */
  public String toEliotLines() {
    return EliotLines.write(messages);
  }

  public ObjectNode toJson() {
    ObjectNode o = TreeJson.of(tree);
    o.put("processId", processId.toString());
    return o;
  }

  /** As eliot-tree renders it; values cut at {@code fieldLimit} characters (0: never). */
  public String toText(int fieldLimit) {
    return TreeText.render(tree, fieldLimit);
  }
}
