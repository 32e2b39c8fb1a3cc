package dev.ridley.server.http;

import dev.ridley.engine.RidleyException;

/** A request the HTTP layer rejects before the engine sees it: the status and a clear detail. */
final class HttpProblem extends RidleyException {

  final int status;
  final String title;

  HttpProblem(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  static HttpProblem badRequest(String detail) {
    return new HttpProblem(400, "Bad request", detail);
  }

  static HttpProblem tooLarge(String detail) {
    return new HttpProblem(413, "Payload too large", detail);
  }
}
