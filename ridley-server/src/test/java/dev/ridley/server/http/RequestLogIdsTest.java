package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ridley.server.RunningServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Lines logged while answering a request on a process or a task carry its id as an MDC field. */
class RequestLogIdsTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  private final Logger requests = (Logger) LoggerFactory.getLogger(RequestIds.class);
  private final ListAppender<ILoggingEvent> lines =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          event.prepareForDeferredProcessing(); // the MDC of the thread that logged
          super.append(event);
        }
      };
  private Level before;

  @BeforeEach
  void capture() {
    before = requests.getLevel();
    requests.setLevel(Level.DEBUG);
    lines.setContext(requests.getLoggerContext());
    lines.start();
    requests.addAppender(lines);
  }

  @AfterEach
  void release() {
    requests.detachAppender(lines);
    requests.setLevel(before);
  }

  @Test
  void a_request_on_a_process_logs_with_its_process_id() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":2}}")
        .json().path("process").path("id").asText();

    assertThat(server.http().get("/api/v1/processes/" + id).status()).isEqualTo(200);
    assertThat(server.http().get("/api/v1/processes/" + id + "/events").status()).isEqualTo(200);

    assertThat(mdcOf("GET /api/v1/processes/" + id + " "))
        .containsEntry("processId", id).doesNotContainKey("taskId");
    assertThat(mdcOf("GET /api/v1/processes/" + id + "/events")).containsEntry("processId", id);
  }

  @Test
  void a_request_on_a_task_logs_with_its_task_id_even_when_it_fails() {
    String task = UUID.randomUUID().toString();

    assertThat(server.http().post("/api/v1/tasks/" + task + "/heartbeat", "{}").status()).isEqualTo(404);

    assertThat(mdcOf("POST /api/v1/tasks/" + task + "/heartbeat"))
        .containsEntry("taskId", task).doesNotContainKey("processId");
  }

  @Test
  void other_requests_carry_no_id() {
    server.http().get("/api/v1/processes?limit=1");
    server.http().post("/api/v1/processes/" + "not-a-uuid" + "/cancel", "{}");

    assertThat(mdcOf("GET /api/v1/processes ")).doesNotContainKeys("processId", "taskId");
    assertThat(mdcOf("POST /api/v1/processes/not-a-uuid/cancel")).doesNotContainKeys("processId", "taskId");
  }

  private Map<String, String> mdcOf(String request) {
    List<ILoggingEvent> matching =
        List.copyOf(lines.list).stream().filter(e -> e.getFormattedMessage().startsWith(request)).toList();
    assertThat(matching).as("lines for %s in %s", request, lines.list).hasSize(1);
    return matching.get(0).getMDCPropertyMap();
  }
}
