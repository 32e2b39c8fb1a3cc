package dev.ridley.engine.tree;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tree as nested JSON, for programs and the dashboard: each action with its type, status, times
 * and fields, each message with its type, time and fields, children in order.
 */
public final class TreeJson {

  private TreeJson() {}

  public static ObjectNode of(TaskTree tree) {
    ObjectNode o = TreeMapper.object();
    o.put("taskUuid", tree.taskUuid());
    o.put("complete", tree.complete());
    o.set("root", node(tree.root()));
    return o;
  }

  public static ObjectNode node(TreeNode node) {
    return switch (node) {
      case ActionNode a -> action(a);
      case MessageNode m -> message(m.message());
    };
  }

  private static ObjectNode action(ActionNode a) {
    ObjectNode o = TreeMapper.object();
    o.put("kind", "action");
    o.put("actionType", a.actionType());
    o.set("level", a.level().toJson());
    o.put("status", a.status());
    o.put("complete", a.complete());
    o.put("startedAt", a.start() == null ? null : a.start().at().toString());
    o.put("endedAt", a.end() == null ? null : a.end().at().toString());
    Double seconds = a.durationSeconds();
    if (seconds == null) o.putNull("durationMs");
    else o.put("durationMs", Math.round(seconds * 1_000_000) / 1_000.0);
    o.set("fields", a.start() == null ? TreeMapper.object() : a.start().fields());
    if (a.end() != null) {
      ObjectNode result = a.end().fields();
      if (result.has(EliotMessage.EXCEPTION)) o.set(EliotMessage.EXCEPTION, result.remove(EliotMessage.EXCEPTION));
      if (result.has(EliotMessage.REASON)) o.set(EliotMessage.REASON, result.remove(EliotMessage.REASON));
      o.set("endFields", result);
    }
    ArrayNode children = o.putArray("children");
    a.children().forEach(c -> children.add(node(c)));
    return o;
  }

  private static ObjectNode message(EliotMessage m) {
    ObjectNode o = TreeMapper.object();
    o.put("kind", "message");
    o.put("messageType", m.messageType());
    o.set("level", m.level().toJson());
    o.put("at", m.at().toString());
    o.set("fields", m.fields());
    return o;
  }
}
