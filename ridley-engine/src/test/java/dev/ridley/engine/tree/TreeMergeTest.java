package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging Eliot logs of several processes into trees, as {@code ridley tree FILE...} does. */
class TreeMergeTest {

  static final String U = "5b1c2f0e-3c1a-4d7e-9a55-0c2b7f3e8d11";

  static final String CLIENT = String.join("\n",
      line("[1]", 1.0, "\"action_type\":\"client:divide\",\"action_status\":\"started\",\"x\":1,\"y\":0"),
      line("[2,1]", 1.1, "\"action_type\":\"http:request\",\"action_status\":\"started\",\"url\":\"http://127.0.0.1/divide\""),
      line("[2,3]", 1.5, "\"action_type\":\"http:request\",\"action_status\":\"failed\",\"exception\":\"HttpError\",\"reason\":\"HTTP 500\""),
      line("[3]", 1.6, "\"action_type\":\"client:divide\",\"action_status\":\"failed\",\"exception\":\"HttpError\",\"reason\":\"HTTP 500\""));

  static final String SERVICE = String.join("\n",
      line("[2,2,1]", 1.2, "\"action_type\":\"eliot:remote_task\",\"action_status\":\"started\""),
      line("[2,2,2,1]", 1.3, "\"action_type\":\"divide\",\"action_status\":\"started\",\"x\":1,\"y\":0"),
      line("[2,2,2,2]", 1.3, "\"action_type\":\"divide\",\"action_status\":\"failed\",\"exception\":\"java.lang.ArithmeticException\",\"reason\":\"/ by zero\""),
      line("[2,2,3]", 1.4, "\"action_type\":\"eliot:remote_task\",\"action_status\":\"failed\",\"exception\":\"java.lang.ArithmeticException\",\"reason\":\"/ by zero\""));

  static String line(String level, double at, String rest) {
    return "{\"task_uuid\":\"" + U + "\",\"task_level\":" + level + ",\"timestamp\":" + at + "," + rest + "}";
  }

  static List<EliotMessage> read(String... logs) {
    List<EliotMessage> all = new ArrayList<>();
    try {
      for (String log : logs) {
        all.addAll(EliotLines.read(new BufferedReader(new StringReader(log)), "log").messages());
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return all;
  }

  @Test
  void a_services_log_nests_under_the_clients_request_whatever_order_the_logs_come_in() {
    for (Trees.Merged merged : List.of(Trees.merge(read(CLIENT, SERVICE)), Trees.merge(read(SERVICE, CLIENT)))) {
      assertThat(merged.tasks()).hasSize(1);
      TaskTree task = merged.tasks().getFirst();
      assertThat(task.complete()).isTrue();
      ActionNode divide = (ActionNode) Trees.find(task, TaskLevel.of(2, 2, 2));
      assertThat(divide.actionType()).isEqualTo("divide");
      assertThat(divide.end().json().path("reason").asText()).isEqualTo("/ by zero");
      ActionNode request = (ActionNode) Trees.find(task, TaskLevel.of(2));
      assertThat(request.children()).containsExactly(Trees.find(task, TaskLevel.of(2, 2)));
    }
  }

  @Test
  void alone_a_services_log_is_an_incomplete_task_under_unnamed_actions() {
    TaskTree task = Trees.merge(read(SERVICE)).tasks().getFirst();
    assertThat(task.complete()).isFalse();
    ActionNode root = (ActionNode) task.root();
    assertThat(root.start()).isNull();
    assertThat(root.actionType()).isNull();
    assertThat(TreeText.render(task, 0)).contains("<unnamed>\n").contains("<unnamed>/2\n")
        .contains("eliot:remote_task/2/2/1 ⇒ started");
  }

  @Test
  void a_message_seen_twice_counts_once() {
    Trees.Merged merged = Trees.merge(read(CLIENT, SERVICE, CLIENT));
    assertThat(merged.duplicates()).isEqualTo(4);
    assertThat(merged.tasks()).singleElement().satisfies(t -> assertThat(t.complete()).isTrue());
  }

  @Test
  void each_task_is_its_own_tree_the_earliest_first() {
    String other = "{\"task_uuid\":\"other\",\"task_level\":[1],\"timestamp\":0.5,\"message_type\":\"boot\"}";
    Trees.Merged merged = Trees.merge(read(CLIENT, other));
    assertThat(merged.tasks()).extracting(TaskTree::taskUuid).containsExactly("other", U);
    TaskTree lone = merged.tasks().getFirst();
    assertThat(lone.root()).isInstanceOf(MessageNode.class);
    assertThat(lone.complete()).as("Eliot: a message logged outside any action is a complete task").isTrue();
  }

  @Test
  void a_gap_in_the_numbers_leaves_the_action_incomplete() {
    String gappy = CLIENT.replace("[2,3]", "[2,4]");
    TaskTree task = Trees.merge(read(gappy)).tasks().getFirst();
    assertThat(task.complete()).isFalse();
  }

  @Test
  void the_stand_in_for_a_workers_missing_part_gives_way_to_the_workers_own_log() {
    String export = String.join("\n",
        line("[1]", 1.0, "\"action_type\":\"ridley:pipeline:p\",\"action_status\":\"started\""),
        line("[2,1]", 1.0, "\"action_type\":\"ridley:stage:s\",\"action_status\":\"started\""),
        line("[2,2]", 1.1, "\"message_type\":\"ridley:claimed\",\"worker\":\"w\""),
        line("[2,3]", 1.9, "\"message_type\":\"ridley:untraced\""),
        line("[2,4]", 2.0, "\"action_type\":\"ridley:stage:s\",\"action_status\":\"succeeded\""),
        line("[3]", 2.0, "\"action_type\":\"ridley:pipeline:p\",\"action_status\":\"succeeded\""));
    String worker = String.join("\n",
        line("[2,3,1]", 1.2, "\"action_type\":\"eliot:remote_task\",\"action_status\":\"started\""),
        line("[2,3,2]", 1.8, "\"action_type\":\"eliot:remote_task\",\"action_status\":\"succeeded\""));

    assertThat(Trees.merge(read(export)).tasks().getFirst().complete()).isTrue();
    TaskTree merged = Trees.merge(read(export, worker)).tasks().getFirst();
    assertThat(merged.complete()).isTrue();
    assertThat(Trees.find(merged, TaskLevel.of(2, 3))).isInstanceOf(ActionNode.class);
  }

  @Test
  void lines_that_are_not_eliot_messages_are_skipped_and_named_by_source_and_line() throws IOException {
    String log = CLIENT + "\nnot json\n{\"level\":\"INFO\",\"msg\":\"hello\"}\n\n";
    EliotLines.Read read = EliotLines.read(new BufferedReader(new StringReader(log)), "client.log");
    assertThat(read.messages()).hasSize(4);
    assertThat(read.skipped()).hasSize(2);
    assertThat(read.skipped().get(0)).startsWith("client.log:5: not JSON");
    assertThat(read.skipped().get(1)).startsWith("client.log:6: not an Eliot message (no task_uuid");
  }
}
