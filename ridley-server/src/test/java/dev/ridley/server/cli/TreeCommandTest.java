package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.worker.trace.Action;
import dev.ridley.worker.trace.EliotLog;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ridley tree}: merges log files and processes from the server into trees. */
class TreeCommandTest {

  record Run(int code, String out, String err) {}

  static Run run(TreeCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A client that calls a service, each writing its own log, as two processes would. */
  static String writeLogs(Path client, Path service) {
    try (EliotLog clientLog = EliotLog.toFile(client); EliotLog serviceLog = EliotLog.toFile(service)) {
      Action root = clientLog.startTask("client:divide", Map.of("x", 1, "y", 0));
      Action request = root.startAction("http:request", Map.of("url", "http://127.0.0.1/divide"));
      try (Action remote = serviceLog.continueTask(request.serializeTaskId())) {
        remote.startAction("service:divide").fail(new ArithmeticException("/ by zero")).close();
        remote.fail(new ArithmeticException("/ by zero"));
      }
      request.fail("HttpError", "HTTP 500").close();
      root.fail("HttpError", "HTTP 500").close();
      return root.taskUuid();
    }
  }

  @Test
  void log_files_of_two_processes_merge_into_one_tree_with_the_service_under_the_request(@TempDir Path dir) {
    String uuid = writeLogs(dir.resolve("client.log"), dir.resolve("service.log"));
    Run r = run(new TreeCommand(), dir.resolve("service.log").toString(), dir.resolve("client.log").toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith(uuid + "\n└── client:divide/1 ⇒ started ")
        .contains("    ├── http:request/2/1 ⇒ started ")
        .contains("    │   ├── eliot:remote_task/2/2/1 ⇒ started ")
        .contains("    │   │   ├── service:divide/2/2/2/1 ⇒ started ")
        .contains("reason: / by zero")
        .contains("    └── client:divide/3 ⇒ failed ");
  }

  @Test
  void without_sources_it_reads_stdin_and_says_which_lines_it_skipped(@TempDir Path dir) throws Exception {
    writeLogs(dir.resolve("client.log"), dir.resolve("service.log"));
    String both = Files.readString(dir.resolve("client.log")) + "plain text line\n" + Files.readString(dir.resolve("service.log"));
    TreeCommand command = new TreeCommand();
    command.stdin = new ByteArrayInputStream(both.getBytes(StandardCharsets.UTF_8));
    Run r = run(command, "--json");

    assertThat(r.code()).isZero();
    JsonNode trees = dev.ridley.engine.internal.store.Json.read(r.out());
    assertThat(trees).hasSize(1);
    assertThat(trees.get(0).path("complete").asBoolean()).isTrue();
    assertThat(r.err()).contains("skipped 1 line(s)").contains("stdin:");
  }

  @Test
  void a_process_id_is_fetched_from_the_server_and_merges_with_files(@TempDir Path dir) throws Exception {
    try (RidleyServer server = TestServers.start()) {
      Http http = new Http(server.uri());
      String id = http.post("/api/v1/pipelines/divide/processes", "{\"payload\":{\"x\":1,\"y\":2}}")
          .json().path("process").path("id").asText();
      Path other = dir.resolve("other.log");
      writeLogs(other, dir.resolve("service.log"));

      Run r = run(new TreeCommand(), "--url", server.uri().toString(), id, other.toString());

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains(id + "\n└── ridley:pipeline:divide/1 ⇒ started ")
          .contains("ridley:stage:divide/2/1 ⇒ started ")
          .contains("client:divide/1 ⇒ started ");

      Run missing = run(new TreeCommand(), "--url", server.uri().toString(), UUID.randomUUID().toString());
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("no process").contains(server.uri().toString());
    }
  }

  @Test
  void a_source_that_is_neither_file_nor_process_id_or_an_unreachable_server_is_named() {
    Run notFound = run(new TreeCommand(), "no-such.log");
    assertThat(notFound.code()).isEqualTo(1);
    assertThat(notFound.err()).contains("'no-such.log' is neither a file nor a process id");

    Run down = run(new TreeCommand(), "--url", "http://127.0.0.1:9", UUID.randomUUID().toString());
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the Ridley server at http://127.0.0.1:9");
  }
}
