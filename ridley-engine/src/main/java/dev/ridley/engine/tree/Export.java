package dev.ridley.engine.tree;

import static dev.ridley.engine.tree.EliotMessage.FAILED;
import static dev.ridley.engine.tree.EliotMessage.STARTED;
import static dev.ridley.engine.tree.EliotMessage.SUCCEEDED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writes a {@link Journey} as Eliot messages, numbered as {@link TraceIds} describes. */
final class Export {

  static final String PROCESS_TYPE = "ridley:pipeline:";
  static final String ATTEMPT_TYPE = "ridley:stage:";

  private Export() {}

  static List<EliotMessage> messages(Journey j) {
    String uuid = j.processId.toString();
    List<EliotMessage> out = new ArrayList<>();
    String rootType = PROCESS_TYPE + (j.pipeline == null ? "unknown" : j.pipeline);
    if (j.startedAt != null) {
      out.add(EliotMessage.action(uuid, TaskLevel.of(1), j.startedAt, rootType, STARTED, j.rootFields));
    }
    int next = 2;
    for (Journey.Attempt a : j.attempts) {
      attempt(uuid, a, out);
      next = Math.max(next, a.ordinal + 2);
    }
    for (Journey.Note n : j.trailing) {
      out.add(EliotMessage.message(uuid, TaskLevel.of(next++), n.at(), n.type(), n.fields()));
    }
    if (j.rootEnd != null) {
      Journey.End end = j.rootEnd;
      out.add(EliotMessage.action(uuid, TaskLevel.of(next), end.at(), rootType, end.succeeded() ? SUCCEEDED : FAILED, end.fields()));
    }
    out.sort(Comparator.comparing(EliotMessage::level));
    return out;
  }

  private static void attempt(String uuid, Journey.Attempt a, List<EliotMessage> out) {
    TaskLevel level = TraceIds.attempt(a.ordinal);
    String type = ATTEMPT_TYPE + a.stage;
    out.add(EliotMessage.action(uuid, level.child(1), a.enqueuedAt, type, STARTED, a.startFields));
    int next = 2;
    if (a.claimedAt != null) {
      out.add(EliotMessage.message(uuid, level.child(next++), a.claimedAt, "ridley:claimed",
          TreeMapper.object().put("worker", a.worker)));
      TaskLevel slot = level.child(TraceIds.WORKER_SLOT);
      var fallbackTime = a.end != null ? a.end.at() : a.claimedAt;
      List<EliotMessage> trace = WorkerTrace.place(uuid, slot, a.trace, fallbackTime);
      if (!trace.isEmpty()) {
        out.addAll(trace);
        next++;
      } else if (!a.notes.isEmpty() || a.end != null) {
        // Keep the slot's number taken, so the attempt stays well formed and a worker's own log
        // of this slot can still be merged in (ridley tree drops this stand-in then).
        ObjectNode f = TreeMapper.object().put("worker", a.worker).put("traceId", uuid + "@" + slot);
        out.add(EliotMessage.message(uuid, slot, fallbackTime, TreeBuilder.UNTRACED, f));
        next++;
      }
    }
    for (Journey.Note n : a.notes) {
      out.add(EliotMessage.message(uuid, level.child(next++), n.at(), n.type(), n.fields()));
    }
    if (a.end != null) {
      out.add(EliotMessage.action(uuid, level.child(next), a.end.at(), type,
          a.end.succeeded() ? SUCCEEDED : FAILED, a.end.fields()));
    }
  }
}
