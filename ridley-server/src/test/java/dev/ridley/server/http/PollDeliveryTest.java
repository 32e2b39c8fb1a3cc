package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.RunningServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A poll nobody waits for claims nothing; a poll whose answer is sent again is answered the same. */
class PollDeliveryTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  /** Sends a long poll on a raw connection and returns the open socket, answer unread. */
  Socket longPoll(String worker, String stage, int waitMs) throws Exception {
    Socket s = new Socket(server.uri().getHost(), server.uri().getPort());
    String body = "{\"worker\":\"" + worker + "\",\"stages\":[\"" + stage + "\"],\"max\":10,\"waitMs\":" + waitMs + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(("POST /api/v1/tasks/poll HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    return s;
  }

  @Test
  void a_long_poll_whose_client_closed_the_connection_claims_nothing() throws Exception {
    Socket gone = longPoll("gone", "divide", 20_000);
    Thread.sleep(300); // the poll is waiting
    gone.close();
    Thread.sleep(300);
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":2}}")
        .json().path("process").path("id").asText();
    Thread.sleep(1000); // time for the abandoned poll to have claimed, had it been going to

    JsonNode task = server.http().get("/api/v1/processes/" + id + "/tasks").json().path("tasks").get(0);
    assertThat(task.path("status").asText()).isEqualTo("QUEUED");
    assertThat(task.path("attempt").asInt()).isEqualTo(1);
    JsonNode events = server.http().get("/api/v1/processes/" + id + "/events").json().path("events");
    assertThat(events.findValuesAsText("type")).doesNotContain("task.claimed");

    long t0 = System.nanoTime();
    JsonNode next = server.http().claimTaskOf(id, "divide");
    assertThat((System.nanoTime() - t0) / 1_000_000).as("claimed by the next poll at once").isLessThan(2000);
    assertThat(next.path("attempt").asInt()).isEqualTo(1);
    assertThat(next.path("id").asText()).isEqualTo(task.path("id").asText());
  }

  @Test
  void the_same_report_sent_again_is_200_with_the_same_answer_and_another_is_409() {
    String id = server.http().post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":6,\"y\":3}}")
        .json().path("process").path("id").asText();
    String taskId = server.http().claimTaskOf(id, "divide").path("id").asText();
    var first = server.http().post("/api/v1/tasks/" + taskId + "/complete", "{\"output\":2}");
    var again = server.http().post("/api/v1/tasks/" + taskId + "/complete", "{\"output\":2.0}");
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    for (String field : new String[] {"id", "status", "attempt", "outcome", "output", "polledAt"}) {
      assertThat(again.json().path("task").path(field)).as(field).isEqualTo(first.json().path("task").path(field));
    }
    assertThat(again.json().path("process").path("currentTask")).isEqualTo(first.json().path("process").path("currentTask"));
    assertThat(server.http().post("/api/v1/tasks/" + taskId + "/complete", "{\"output\":3}").status()).isEqualTo(409);

    var batch = server.http().post("/api/v1/tasks/complete",
        "{\"results\":[{\"id\":\"" + taskId + "\",\"output\":2},{\"id\":\"" + taskId + "\",\"output\":5}]}").json();
    assertThat(batch.path("results").get(0).path("status").asInt()).isEqualTo(200);
    assertThat(batch.path("results").get(0).path("taskStatus").asText()).isEqualTo("SUCCEEDED");
    assertThat(batch.path("results").get(1).path("status").asInt()).isEqualTo(409);
  }
}
