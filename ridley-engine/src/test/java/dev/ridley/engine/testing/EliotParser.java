package dev.ridley.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.tree.ActionNode;
import dev.ridley.engine.tree.EliotMessage;
import dev.ridley.engine.tree.MessageNode;
import dev.ridley.engine.tree.TreeNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Eliot's own parser ({@code eliot.parse.Parser}, Debian package python3-eliot) over Eliot
 * JSON lines, so tests check exports against the reference implementation, not our reading of it.
 * A missing python3-eliot fails the test with how to install it; it never skips.
 */
public final class EliotParser {

  /** What Eliot's parser made of one task: its uuid, {@code Task.is_complete()}, and its shape. */
  public record Parsed(String taskUuid, boolean complete, JsonNode root) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT =
      """
      import json, sys
      from eliot.parse import Parser, WrittenAction
      def node(n):
          if isinstance(n, WrittenAction):
              return {"kind": "action", "type": n.action_type, "status": n.status,
                      "level": n.task_level.as_list(), "exception": n.exception, "reason": n.reason,
                      "children": [node(c) for c in n.children]}
          return {"kind": "message", "type": n.contents.get("message_type"), "level": n.task_level.as_list()}
      messages = [json.loads(line) for line in sys.stdin if line.strip()]
      tasks = [{"task_uuid": t.root().task_uuid, "complete": t.is_complete(), "root": node(t.root())}
               for t in Parser.parse_stream(messages)]
      print(json.dumps(tasks))
      """;
  private static String python;

  private EliotParser() {}

  public static List<Parsed> parse(String eliotLines) {
    String out = run(List.of(python(), "-c", SCRIPT), eliotLines);
    List<Parsed> tasks = new ArrayList<>();
    try {
      for (JsonNode t : JSON.readTree(out)) {
        tasks.add(new Parsed(t.path("task_uuid").asText(), t.path("complete").asBoolean(), t.path("root")));
      }
    } catch (IOException e) {
      throw new AssertionError("Eliot's parser printed something that is not JSON: " + out, e);
    }
    return tasks;
  }

  /** Our tree in the shape the script prints Eliot's, to compare the two. */
  public static JsonNode shape(TreeNode node) {
    ObjectNode o = JSON.createObjectNode();
    switch (node) {
      case ActionNode a -> {
        o.put("kind", "action").put("type", a.actionType()).put("status", a.status());
        o.set("level", JSON.valueToTree(a.level().parts()));
        o.put("exception", a.end() == null ? null : a.end().json().path(EliotMessage.EXCEPTION).asText(null));
        o.put("reason", a.end() == null ? null : a.end().json().path(EliotMessage.REASON).asText(null));
        ArrayNode children = o.putArray("children");
        a.children().forEach(c -> children.add(shape(c)));
      }
      case MessageNode m -> {
        o.put("kind", "message").put("type", m.message().messageType());
        o.set("level", JSON.valueToTree(m.level().parts()));
      }
    }
    return o;
  }

  private static synchronized String python() {
    if (python != null) return python;
    List<String> tried = new ArrayList<>();
    String configured = System.getenv("RIDLEY_PYTHON");
    List<String> candidates = configured != null ? List.of(configured) : List.of("python3", "/usr/bin/python3");
    for (String candidate : candidates) {
      try {
        run(List.of(candidate, "-c", "import eliot.parse"), "");
        python = candidate;
        return python;
      } catch (AssertionError | RuntimeException e) {
        tried.add(candidate + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    throw new AssertionError(
        "this test runs Eliot's own parser and needs python3 with the eliot package: install it"
            + " with 'apt-get install -y python3-eliot' (or 'pip install eliot'), or point"
            + " RIDLEY_PYTHON at a python that has it. Tried: " + tried);
  }

  private static byte[] drain(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String run(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).start();
      // stderr is drained alongside, so a chatty interpreter cannot block on a full pipe
      CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = errors.join();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command.getFirst() + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(command.getFirst() + " failed (exit " + p.exitValue() + "): "
            + new String(err, StandardCharsets.UTF_8).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command.getFirst(), e);
    }
  }
}
