package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.worker.RidleyClientException;

/** A server answer: status and JSON body (a problem+json document on errors). */
public record Response(String method, String path, int status, JsonNode body) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /**
   * The server no longer knows this attempt as current: 409 by the protocol; 404 and 410 mean the
   * same for a result, since repeating it cannot help.
   */
  boolean isStaleAttempt() {
    return status == 409 || status == 404 || status == 410;
  }

  /** Worth repeating: the server or a proxy failed, or asked us to come back later. */
  boolean isTransient() {
    return status >= 500 || status == 408 || status == 429;
  }

  String detail() {
    if (body.isTextual()) {
      return body.asText();
    }
    String detail = Json.text(body, "detail");
    return detail != null ? detail : Json.text(body, "title");
  }

  /** One line for logs and exceptions: {@code POST /api/v1/... -> 404: pipeline x not found}. */
  public String describe() {
    String detail = detail();
    return method + " " + path + " -> " + status + (detail == null ? "" : ": " + detail);
  }

  public RidleyClientException toException() {
    return new RidleyClientException(
        describe(), status, body.isObject() ? Json.text(body, "type") : null, detail(), null);
  }
}
