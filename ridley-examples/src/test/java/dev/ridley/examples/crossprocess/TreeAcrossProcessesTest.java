package dev.ridley.examples.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ridley.engine.tree.ActionNode;
import dev.ridley.engine.tree.EliotLines;
import dev.ridley.engine.tree.EliotMessage;
import dev.ridley.engine.tree.TaskLevel;
import dev.ridley.engine.tree.TaskTree;
import dev.ridley.engine.tree.TreeText;
import dev.ridley.engine.tree.Trees;
import dev.ridley.engine.testing.EliotParser;
import dev.ridley.worker.trace.EliotLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-process scenario for real: the divide service runs in its own JVM with its own log;
 * this JVM is the client. Merged, the two logs are one tree, the service's failure under the
 * client's request.
 */
class TreeAcrossProcessesTest {

  @TempDir static Path dir;
  static Process service;
  static URI serviceUri;

  @BeforeAll
  static void startService() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    service = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DivideServiceMain.class.getName(), "--port", "0", "--log", dir.resolve("service.log").toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    BufferedReader err = new BufferedReader(new InputStreamReader(service.getErrorStream(), StandardCharsets.UTF_8));
    String line = err.readLine();
    assertThat(line).as("the service JVM says where it listens").startsWith("listening on ");
    serviceUri = URI.create(line.substring("listening on ".length()).trim());
  }

  @AfterAll
  static void stopService() throws Exception {
    service.destroy();
    if (!service.waitFor(10, TimeUnit.SECONDS)) service.destroyForcibly();
  }

  static List<EliotMessage> read(Path... logs) throws Exception {
    List<EliotMessage> all = new ArrayList<>();
    for (Path log : logs) {
      try (BufferedReader in = Files.newBufferedReader(log)) {
        EliotLines.Read read = EliotLines.read(in, log.toString());
        assertThat(read.skipped()).as("every line of %s is an Eliot message", log).isEmpty();
        all.addAll(read.messages());
      }
    }
    return all;
  }

  @Test
  void dividing_by_zero_fails_inside_the_services_part_nested_under_the_clients_request() throws Exception {
    Path clientLog = dir.resolve("client-zero.log");
    try (EliotLog log = EliotLog.toFile(clientLog)) {
      assertThatThrownBy(() -> DivideClient.divide(serviceUri, log, "1", "0"))
          .isInstanceOf(DivideClient.RemoteDivisionException.class)
          .hasMessageContaining("java.lang.ArithmeticException");
    }
    String uuid = read(clientLog).getFirst().taskUuid();
    List<EliotMessage> merged = new ArrayList<>(read(clientLog));
    read(dir.resolve("service.log")).stream().filter(m -> m.taskUuid().equals(uuid)).forEach(merged::add);

    Trees.Merged trees = Trees.merge(merged);
    assertThat(trees.tasks()).hasSize(1);
    TaskTree tree = trees.tasks().getFirst();
    assertThat(tree.complete()).as(TreeText.render(tree, 0)).isTrue();

    ActionNode root = (ActionNode) tree.root();
    assertThat(root.actionType()).isEqualTo("client:divide");
    ActionNode request = (ActionNode) Trees.find(tree, TaskLevel.of(2));
    assertThat(request.actionType()).isEqualTo("http:request");
    assertThat(request.status()).isEqualTo("failed");
    ActionNode remote = (ActionNode) request.children().getFirst();
    assertThat(remote.actionType()).isEqualTo(EliotLog.REMOTE_TASK);
    ActionNode compute = (ActionNode) remote.children().getFirst();
    assertThat(compute.actionType()).isEqualTo("divide:compute");
    assertThat(compute.status()).isEqualTo("failed");
    assertThat(compute.end().json().path("exception").asText()).isEqualTo("java.lang.ArithmeticException");
    assertThat(compute.end().json().path("reason").asText()).isEqualTo("Division by zero");
    assertThat(TreeText.render(tree, 0)).contains("│   ├── eliot:remote_task/2/2/1 ⇒ started");

    assertThat(EliotParser.parse(EliotLines.write(merged))).singleElement()
        .satisfies(t -> assertThat(t.complete()).as("Eliot's parser finds the merged task complete").isTrue());
  }

  @Test
  void a_division_that_works_nests_the_same_way_and_succeeds() throws Exception {
    Path clientLog = dir.resolve("client-half.log");
    try (EliotLog log = EliotLog.toFile(clientLog)) {
      assertThat(DivideClient.divide(serviceUri, log, "1", "2")).isEqualByComparingTo(new BigDecimal("0.5"));
    }
    String uuid = read(clientLog).getFirst().taskUuid();
    List<EliotMessage> merged = new ArrayList<>(read(dir.resolve("service.log")));
    merged.addAll(read(clientLog));
    TaskTree tree = Trees.merge(merged).tasks().stream().filter(t -> t.taskUuid().equals(uuid)).findFirst().orElseThrow();
    assertThat(tree.complete()).isTrue();
    ActionNode compute = (ActionNode) Trees.find(tree, TaskLevel.of(2, 2, 2));
    assertThat(compute.status()).isEqualTo("succeeded");
  }
}
