package dev.ridley.server.http;

import dev.ridley.engine.Engine;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.tree.ProcessTree;
import dev.ridley.engine.tree.TreeText;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The action tree of a process (docs/TRACING.md): JSON by default, text as eliot-tree draws it
 * for {@code Accept: text/plain} or {@code ?format=text}, Eliot JSON lines for {@code
 * ?format=eliot} (or {@code Accept: application/x-ndjson}), to feed eliot-tree or to merge with
 * workers' logs.
 */
final class TreeRoutes {

  static final String ELIOT_LINES = "application/x-ndjson";

  private enum Format { JSON, TEXT, ELIOT }

  private final Engine engine;

  TreeRoutes(Engine engine) {
    this.engine = engine;
  }

  void register(RouteTable routes) {
    routes.get("/api/v1/processes/{id}/tree", this::tree);
  }

  private void tree(Context ctx) {
    UUID id = Bodies.uuid(ctx.pathParam("id"), "process");
    Strict.params(ctx, Set.of("format", "fieldLimit"));
    Format format = format(ctx);
    int fieldLimit = fieldLimit(ctx.queryParam("fieldLimit"));
    Visibility.check(ctx, engine, id);
    // Journal first, then tasks: every task the journal names is then among the tasks read.
    List<JournalEvent> events = engine.processes().events(id);
    List<TaskView> tasks = engine.processes().tasks(id);
    ProcessTree tree = ProcessTree.of(id, events, tasks);
    switch (format) {
      case JSON -> Replies.json(ctx, 200, tree.toJson());
      case TEXT -> ctx.status(200).contentType("text/plain; charset=utf-8").result(tree.toText(fieldLimit));
      case ELIOT -> ctx.status(200).contentType(ELIOT_LINES).result(tree.toEliotLines());
    }
  }

  private static Format format(Context ctx) {
    String param = ctx.queryParam("format");
    if (param != null && !param.isBlank()) {
      return switch (param.trim().toLowerCase(Locale.ROOT)) {
        case "json" -> Format.JSON;
        case "text" -> Format.TEXT;
        case "eliot" -> Format.ELIOT;
        default -> throw HttpProblem.badRequest(
            "'format=" + param + "' is not one of json (the tree), text (as eliot-tree draws it) or eliot (Eliot JSON lines)");
      };
    }
    String accept = ctx.header("Accept");
    if (accept == null) {
      return Format.JSON;
    }
    // The first type we serve, in the client's order; quality values are not weighed.
    for (String range : accept.split(",")) {
      String type = range.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
      switch (type) {
        case "application/json", "application/*", "*/*":
          return Format.JSON;
        case "text/plain", "text/*":
          return Format.TEXT;
        case ELIOT_LINES, "application/jsonl", "application/json-lines", "application/x-jsonlines":
          return Format.ELIOT;
        default:
          break;
      }
    }
    return Format.JSON;
  }

  private static int fieldLimit(String text) {
    if (text == null || text.isBlank()) {
      return TreeText.DEFAULT_FIELD_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("'fieldLimit=" + text + "' must be a whole number of characters, 0 for no limit");
    }
  }
}
