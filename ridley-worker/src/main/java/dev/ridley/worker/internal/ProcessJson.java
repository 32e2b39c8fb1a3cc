package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.worker.ErrorInfo;
import dev.ridley.worker.LastSeen;
import dev.ridley.worker.ProcessInfo;
import dev.ridley.worker.ProcessPage;
import dev.ridley.worker.ProcessStatus;
import dev.ridley.worker.StartResult;
import java.util.ArrayList;
import java.util.List;

/** Reads the server's process documents into the SDK's values. */
public final class ProcessJson {

  private ProcessJson() {}

  /**
   * @throws IllegalArgumentException when the document is not a process this SDK understands
   */
  public static ProcessInfo process(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("expected a process object, got " + n);
    }
    return new ProcessInfo(
        Json.uuid(n, "id"),
        Json.text(n, "pipeline"),
        Json.text(n, "customId"),
        Json.text(n, "user"),
        status(Json.text(n, "status")),
        Json.value(n, "payload"),
        lastSeen(n.get("lastSeen")),
        Json.instant(n, "createdAt"),
        Json.instant(n, "finishedAt"),
        Json.value(n, "output"),
        error(n.get("error")),
        Json.text(n, "lostReason"),
        n.path("attempts").asInt(0));
  }

  public static StartResult startResult(JsonNode n) {
    String result = Json.text(n, "result");
    if (result == null) {
      throw new IllegalArgumentException("the answer has no \"result\"");
    }
    try {
      return new StartResult(StartResult.Result.valueOf(result), process(n.get("process")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown start result \"" + result + "\"", e);
    }
  }

  /** The answers of a batch of starts, in order. */
  public static List<dev.ridley.worker.StartAnswer> startAnswers(JsonNode n) {
    JsonNode results = n.get("results");
    if (results == null || !results.isArray()) {
      throw new IllegalArgumentException("the answer has no \"results\" list");
    }
    List<dev.ridley.worker.StartAnswer> out = new ArrayList<>();
    for (JsonNode item : results) {
      StartResult started = item.has("result") ? startResult(item) : null;
      out.add(new dev.ridley.worker.StartAnswer(item.path("status").asInt(), started, Json.text(item, "detail")));
    }
    return out;
  }

  public static ProcessPage page(JsonNode n) {
    List<ProcessInfo> items = new ArrayList<>();
    for (JsonNode item : n.path("items")) {
      items.add(process(item));
    }
    return new ProcessPage(items, Json.text(n, "nextCursor"));
  }

  static ErrorInfo error(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return new ErrorInfo("error", n.asText(), null);
    }
    return new ErrorInfo(Json.text(n, "type"), Json.text(n, "message"), Json.text(n, "stack"));
  }

  private static LastSeen lastSeen(JsonNode n) {
    if (n == null || !n.isObject()) {
      return null;
    }
    return new LastSeen(Json.text(n, "stage"), Json.instant(n, "at"));
  }

  private static ProcessStatus status(String text) {
    if (text == null) {
      throw new IllegalArgumentException("the process has no \"status\"");
    }
    try {
      return ProcessStatus.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown process status \"" + text + "\"; is this SDK older than the server?", e);
    }
  }
}
