package dev.ridley.examples.crossprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import dev.ridley.worker.trace.TracedHttp;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The client side of the cross-process scenario: a {@code client:divide} task whose {@code
 * http:request} to the {@link DivideService} carries the trace, so the service's part nests
 * under it when the two logs are merged ({@code cat client.log service.log | ridley tree}).
 */
public final class DivideClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service answered with an error; its type and reason are in the message. */
  public static final class RemoteDivisionException extends RuntimeException {
    public RemoteDivisionException(String message) {
      super(message);
    }
  }

  private DivideClient() {}

  /**
   * Asks the service for x / y, logging the task to {@code log}.
   *
   * @throws RemoteDivisionException when the service answers with an error
   */
  public static BigDecimal divide(URI service, EliotLog log, String x, String y) throws Exception {
    Action task = log.startTask("client:divide", Map.of("x", x, "y", y, "service", service.toString()));
    return task.call(() -> {
      URI uri = service.resolve("/divide?x=" + x + "&y=" + y);
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> r = TracedHttp.send(task, http, HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
          throw new RemoteDivisionException("the service could not divide: "
              + body.path("exception").asText("?") + ": " + body.path("reason").asText(""));
        }
        BigDecimal q = body.path("quotient").decimalValue();
        task.addSuccessFields(Map.of("quotient", q));
        return q;
      }
    });
  }
}
