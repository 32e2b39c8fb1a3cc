package dev.ridley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot start says why in one line naming the file, line and key. */
class CliErrorsTest {

  @Test
  void a_pipeline_file_with_a_typo_stops_the_server_with_file_line_and_key(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("typo.yaml"), """
        name: typo
        stages:
          work: {timeouts: {hartbeat: 5s}}
        """);
    StringWriter err = new StringWriter();
    int code = RidleyCli.commandLine().setErr(new PrintWriter(err, true))
        .execute("server", "--pipelines", dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("typo.yaml").contains("line 3").contains("stages.work.timeouts.hartbeat").contains("heartbeat")
        .doesNotContain("\tat ");
  }
}
