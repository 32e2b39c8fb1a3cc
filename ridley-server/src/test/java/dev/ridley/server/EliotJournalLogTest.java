package dev.ridley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ridley.engine.testing.EliotParser;
import dev.ridley.examples.DivideWorkers;
import dev.ridley.worker.RidleyWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With RIDLEY_ELIOT_LOG the server appends each ended process's tree as Eliot JSON lines. */
class EliotJournalLogTest {

  @Test
  void every_ended_process_is_written_to_the_eliot_log_as_one_complete_task(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setEliotLog(log.toString()).build());
        RidleyWorker workers = DivideWorkers.register(RidleyWorker.builder(server.uri()).workerId("w")
            .pollWait(Duration.ofMillis(500))).build().start()) {
      Http http = new Http(server.uri());
      String ok = http.post("/api/v1/pipelines/divide/processes?waitMs=5000", "{\"payload\":{\"x\":1,\"y\":2}}")
          .json().path("process").path("id").asText();
      String failed = http.post("/api/v1/pipelines/divide/processes?waitMs=5000", "{\"payload\":{\"x\":1,\"y\":0}}")
          .json().path("process").path("id").asText();
      await().atMost(Duration.ofSeconds(15)).until(() ->
          Files.exists(log) && Files.readString(log).contains(ok) && Files.readString(log).contains(failed));
    }
    String lines = Files.readString(log);
    assertThat(lines.lines()).allMatch(l -> l.startsWith("{") && l.contains("\"task_uuid\""));
    assertThat(lines).contains("ArithmeticException");
    assertThat(EliotParser.parse(lines)).hasSize(2).allMatch(EliotParser.Parsed::complete);
  }
}
