package dev.ridley.worker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.TaskHandler;
import dev.ridley.worker.trace.EliotLog;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A worker's frozen configuration, validated by {@code RidleyWorker.Builder}.
 *
 * @param heartbeatInterval null to derive it per task from the stage's heartbeat timeout
 * @param traceLog where handlers' actions are also written; null: they only travel with results
 * @param credentials the bearer credential of each request (API key or token); null: none
 * @param ssl the TLS context for an https server; null: the JDK's
 * @param amqp the RabbitMQ to consume amqp stages' tasks from; null: HTTP only
 */
public record WorkerSettings(
    URI server,
    String workerId,
    int concurrency,
    Duration pollWait,
    Duration heartbeatInterval,
    Duration requestTimeout,
    Duration shutdownTimeout,
    Map<String, TaskHandler> handlers,
    ObjectMapper mapper,
    EliotLog traceLog,
    java.util.function.Supplier<String> credentials,
    javax.net.ssl.SSLContext ssl,
    URI amqp) {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  public WorkerSettings {
    handlers = Map.copyOf(handlers);
  }
}
