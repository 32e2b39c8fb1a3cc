package dev.ridley.worker.trace;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * HTTP calls as actions: {@code http:request} with the method and URL, sending the trace headers
 * so the service continues the task under this request, and ending with the status. A status of
 * 400 or more, or an I/O error, ends it {@code failed}.
 *
 * <pre>{@code
 * HttpResponse<String> r = TracedHttp.send(task.action(), http, request, BodyHandlers.ofString());
 * }</pre>
 */
public final class TracedHttp {

  public static final String ACTION_TYPE = "http:request";

  private TracedHttp() {}

  public static <T> HttpResponse<T> send(
      Action parent, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    String url = request.uri().toString();
    Action action = parent.startAction(ACTION_TYPE, Map.of("method", request.method(), "url", url));
    try {
      HttpRequest.Builder traced = HttpRequest.newBuilder(request, (name, value) ->
          !name.equalsIgnoreCase(TraceHeaders.ELIOT_TASK_ID) && !name.equalsIgnoreCase(TraceHeaders.TRACEPARENT));
      TraceHeaders.forCallFrom(action).forEach(traced::header);
      HttpResponse<T> response = client.send(traced.build(), body);
      int status = response.statusCode();
      action.addSuccessFields(Map.of("status", status));
      if (status >= 400) {
        action.fail("HttpError", "HTTP " + status + " from " + request.method() + " " + url);
      }
      return response;
    } catch (IOException | InterruptedException | RuntimeException e) {
      action.fail(e);
      throw e;
    } finally {
      action.close();
    }
  }
}
