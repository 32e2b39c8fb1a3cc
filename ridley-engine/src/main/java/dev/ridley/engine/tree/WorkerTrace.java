package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts what a worker logged in its handler (the {@code actions} of its result) into its
 * attempt's slot. A worker that continued the task id it was given logged one action at exactly
 * that slot, and its messages are kept as they are, so they still match the logs of any service
 * it called. A trace numbered elsewhere (a worker that started its own task) is moved into the
 * slot whole. One whose actions do not all start and end there is shown message by message
 * under a {@code ridley:worker_trace} action: workers are not trusted to keep the export well
 * formed.
 */
final class WorkerTrace {

  static final String FALLBACK = "ridley:worker_trace";

  private WorkerTrace() {}

  /** The messages to export at {@code slot}; empty when the worker sent none. */
  static List<EliotMessage> place(String taskUuid, TaskLevel slot, JsonNode trace, Instant fallbackTime) {
    if (trace == null || !trace.isArray() || trace.isEmpty()) {
      return List.of();
    }
    List<EliotMessage> parsed = new ArrayList<>();
    try {
      for (JsonNode n : trace) parsed.add(EliotMessage.of(n));
    } catch (IllegalArgumentException notEliot) {
      return asMessages(taskUuid, slot, trace, fallbackTime);
    }
    TaskLevel top = topAction(parsed);
    if (top != null) {
      List<EliotMessage> moved = new ArrayList<>(parsed.size());
      for (EliotMessage m : parsed) moved.add(m.withLocation(taskUuid, m.level().rebase(top, slot)));
      TreeBuilder b = new TreeBuilder(moved);
      if (b.duplicates() == 0 && ended(b.action(slot))) {
        moved.sort(Comparator.comparing(EliotMessage::level));
        return moved;
      }
    }
    return asMessages(taskUuid, slot, trace, fallbackTime);
  }

  /**
   * Whether every action has started and ended, its children numbered between. A number may be
   * missing: one the worker handed to another process (Eliot's serialize_task_id) is in that
   * process's log, and the task is complete once it is merged in, for Eliot's parser as for ours.
   */
  private static boolean ended(ActionNode action) {
    if (action.start() == null || action.end() == null) return false;
    int last = 1;
    for (TreeNode c : action.children()) {
      if (c.level().last() <= last) return false; // a message and an action at one number
      last = c.level().last();
      if (c instanceof ActionNode child && !ended(child)) return false;
    }
    return last < action.end().level().last();
  }

  /** The one action every message lies under, judged by the shallowest start message. */
  private static TaskLevel topAction(List<EliotMessage> messages) {
    String uuid = messages.getFirst().taskUuid();
    TaskLevel top = null;
    for (EliotMessage m : messages) {
      if (!m.taskUuid().equals(uuid)) return null;
      if (m.isAction() && EliotMessage.STARTED.equals(m.actionStatus())) {
        TaskLevel a = m.level().parent();
        if (top == null || a.depth() < top.depth()) top = a;
      }
    }
    if (top == null) return null;
    for (EliotMessage m : messages) {
      if (!m.level().startsWith(top) || m.level().depth() == top.depth()) return null;
    }
    return top;
  }

  private static List<EliotMessage> asMessages(String taskUuid, TaskLevel slot, JsonNode trace, Instant fallbackTime) {
    List<EliotMessage> out = new ArrayList<>();
    Instant first = null;
    Instant last = fallbackTime;
    int i = 2;
    for (JsonNode n : trace) {
      Instant at = n.path(EliotMessage.TIMESTAMP).isNumber() ? timeOf(n) : fallbackTime;
      first = first == null || at.isBefore(first) ? at : first;
      last = at.isAfter(last) ? at : last;
      ObjectNode fields = TreeMapper.object();
      fields.set("message", n);
      out.add(EliotMessage.message(taskUuid, slot.child(i++), at, "ridley:worker_message", fields));
    }
    ObjectNode note = TreeMapper.object().put("note",
        "the worker's messages do not form complete Eliot actions under its task id; shown as they came");
    out.addFirst(EliotMessage.action(taskUuid, slot.child(1), first, FALLBACK, EliotMessage.STARTED, note));
    out.add(EliotMessage.action(taskUuid, slot.child(i), last, FALLBACK, EliotMessage.SUCCEEDED, null));
    return out;
  }

  private static Instant timeOf(JsonNode n) {
    ObjectNode probe = TreeMapper.object();
    probe.set(EliotMessage.TIMESTAMP, n.get(EliotMessage.TIMESTAMP));
    return new EliotMessage(probe).at();
  }
}
