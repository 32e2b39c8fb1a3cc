package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.ErrorInfo;
import dev.ridley.worker.Outcome;

/** The result of one attempt, ready to send: {@code action} is {@code complete} or {@code fail}. */
record Report(String action, ObjectNode body) {

  static Report complete(String outcome, JsonNode output) {
    ObjectNode body = Json.object();
    body.put("outcome", outcome);
    body.set("output", output == null ? NullNode.getInstance() : output);
    return new Report("complete", body);
  }

  static Report fail(ErrorInfo error, boolean retryable) {
    ObjectNode json = Json.object();
    json.put("type", error.type());
    json.put("message", error.message());
    if (error.stack() != null) {
      json.put("stack", error.stack());
    }
    ObjectNode body = Json.object();
    body.set("error", json);
    body.put("retryable", retryable);
    return new Report("fail", body);
  }

  /** What a handler returned, as the protocol wants it. */
  static Report of(Object returned, ObjectMapper mapper) {
    try {
      return switch (returned) {
        case Outcome.Completed done -> complete(done.name(), mapper.valueToTree(done.output()));
        case Outcome.Failed failed -> fail(failed.error(), failed.retryable());
        case null -> complete("ok", NullNode.getInstance());
        default -> complete("ok", mapper.valueToTree(returned));
      };
    } catch (IllegalArgumentException e) {
      // The output cannot be serialized: another attempt would produce the same, so it is not
      // retryable; the cause names the offending type.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return fail(ErrorInfo.of(cause), false);
    }
  }

  /** With the Eliot messages the handler logged; none (null) leaves the report as it is. */
  Report withActions(ArrayNode actions) {
    if (actions != null) {
      body.set("actions", actions);
    }
    return this;
  }

  String outcome() {
    return action.equals("fail") ? "failed" : body.path("outcome").asText();
  }
}
