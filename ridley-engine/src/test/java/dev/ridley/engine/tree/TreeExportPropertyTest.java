package dev.ridley.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.testing.TestEngines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random histories of real processes (claims, results, failures, timers, cancels, replays, good and
 * broken worker traces); after every step the export must be well formed.
 */
class TreeExportPropertyTest {

  static final int HISTORIES = 40;
  static final int MAX_STEPS = 14;
  static final List<String> PIPELINES = List.of("divide", "retry", "hb", "failover", "e2p");

  @RegisterExtension static final TestEngines engines = Scenarios.engines();
  static Scenarios s;
  /** Processes whose worker handed a number on: complete only with that other log. */
  static final Set<UUID> handedOn = new HashSet<>();

  @BeforeAll
  static void setUp() {
    s = new Scenarios(engines);
  }

  @Test
  void every_export_is_well_formed_after_every_step_of_random_histories() {
    for (int seed = 0; seed < HISTORIES; seed++) {
      Random r = new Random(seed);
      UUID id = s.start(PIPELINES.get(r.nextInt(PIPELINES.size())));
      String story = "seed " + seed;
      check(id, story);
      for (int step = 0; step < MAX_STEPS && move(id, r); step++) {
        check(id, story + ", step " + step);
      }
      if (process(id).status() == ProcessStatus.RUNNING) {
        s.engine.operations().cancel(id, "end of the history"); // so no later history claims its task
        check(id, story + ", cancelled");
      }
    }
  }

  /** One random move; false when the process can go no further. */
  private boolean move(UUID id, Random r) {
    ProcessView p = process(id);
    if (p.status() != ProcessStatus.RUNNING) {
      if (!Interventions.REPLAYABLE.contains(p.status()) || r.nextInt(3) == 0) return false;
      s.engine.operations().replay(id, null);
      return true;
    }
    TaskView current = current(id);
    int dice = r.nextInt(100);
    if (current.status() == TaskStatus.QUEUED) {
      if (dice < 65) {
        s.advance(Duration.ofSeconds(3)); // past any retry backoff
        s.claim(current.stage(), id);
      } else if (dice < 90) {
        s.advance(Duration.ofSeconds(10));
        s.engine.operations().sweepOnce();
      } else {
        s.engine.operations().cancel(id, "random cancel");
      }
      return true;
    }
    s.tick();
    if (dice < 35) {
      s.engine.workers().complete(current.id(), dice < 25 ? "ok" : "invalid", Scenarios.json("{\"q\":1}"), trace(id, current, r));
    } else if (dice < 70) {
      s.engine.workers().fail(current.id(), ErrorInfo.of("java.io.IOException", "flaky"), dice < 60, trace(id, current, r));
    } else if (dice < 85) {
      s.advance(Duration.ofMinutes(6)); // past the heartbeat and pollToEnd timers
      s.engine.operations().sweepOnce();
    } else if (dice < 90) {
      s.advance(Duration.ofHours(25)); // past the process's own timeout
      s.engine.operations().sweepOnce();
    } else {
      s.engine.operations().cancel(id, "random cancel");
    }
    return true;
  }

  /**
   * None, a well-formed one at the attempt's slot, one that handed a number to another process,
   * one numbered elsewhere, or a broken one.
   */
  private static JsonNode trace(UUID id, TaskView t, Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> null;
      case 1 -> Scenarios.handlerTrace(TraceIds.forTask(id, t.ordinal()), s.now(), r.nextBoolean());
      case 2 -> {
        handedOn.add(id);
        yield Scenarios.handedOnTrace(TraceIds.forTask(id, t.ordinal()), s.now());
      }
      case 3 -> Scenarios.handlerTrace(UUID.randomUUID() + "@/4", s.now(), false);
      default -> {
        var broken = Scenarios.handlerTrace(TraceIds.forTask(id, t.ordinal()), s.now(), false);
        // any message but the response at index 2: without it, it is a well-formed handed-on trace
        broken.remove(new int[] {0, 1, 3, 4}[r.nextInt(4)]);
        yield broken;
      }
    };
  }

  private static void check(UUID id, String story) {
    ProcessTree t = s.tree(id);
    List<EliotMessage> messages = t.messages();
    Set<TaskLevel> levels = new HashSet<>();
    for (EliotMessage m : messages) {
      EliotMessage.of(m.json()); // every one is an Eliot message
      assertThat(m.taskUuid()).as(story).isEqualTo(id.toString());
      assertThat(levels.add(m.level())).as("%s: level %s used twice", story, m.level()).isTrue();
      if (EliotMessage.FAILED.equals(m.actionStatus())) {
        assertThat(m.json().path("exception").isTextual()).as("%s: failed %s has an exception", story, m.level()).isTrue();
        assertThat(m.json().path("reason").isTextual()).as("%s: failed %s has a reason", story, m.level()).isTrue();
      }
    }
    assertThat(messages).as(story + ": in level order").isSortedAccordingTo((a, b) -> a.level().compareTo(b.level()));

    List<ActionNode> unfinished = new ArrayList<>();
    walk(t.tree().root(), unfinished, story + " in\n" + t.toText(0));
    ProcessView p = process(id);
    if (p.status() == ProcessStatus.RUNNING) {
      int ordinal = current(id).ordinal();
      assertThat(unfinished).as(story + ": only the root and the current attempt are open")
          .extracting(ActionNode::level).containsExactlyInAnyOrder(TaskLevel.ROOT, TraceIds.attempt(ordinal));
    } else {
      assertThat(unfinished).as(story + ": a " + p.status() + " process has ended every action").isEmpty();
      assertThat(t.tree().complete()).as(story).isEqualTo(!handedOn.contains(id));
    }
    assertThat(reread(t.toEliotLines())).as(story + ": the lines read back the same").isEqualTo(messages.size());
    assertThat(t.toText(0)).startsWith(id + "\n");
    assertThat(t.toJson().path("root").path("actionType").asText()).startsWith("ridley:pipeline:");
  }

  /**
   * Within each action the start comes first, its end last, the numbers between increasing: without
   * gaps in the engine's actions (the root and the attempts); a worker's may leave out numbers it
   * handed to another process.
   */
  private static void walk(TreeNode node, List<ActionNode> unfinished, String story) {
    if (!(node instanceof ActionNode a)) return;
    assertThat(a.start()).as("%s: action %s has a start", story, a.level()).isNotNull();
    assertThat(a.start().level().last()).isEqualTo(1);
    boolean engines = a.level().depth() < 2;
    int last = 1;
    for (TreeNode c : a.children()) {
      int n = c.level().last();
      if (engines) assertThat(n).as("%s: child of %s", story, a.level()).isEqualTo(last + 1);
      else assertThat(n).as("%s: child of %s", story, a.level()).isGreaterThan(last);
      last = n;
      walk(c, unfinished, story);
    }
    if (a.end() == null) {
      unfinished.add(a);
    } else {
      int end = a.end().level().last();
      if (engines) assertThat(end).as("%s: end of %s comes next", story, a.level()).isEqualTo(last + 1);
      else assertThat(end).as("%s: end of %s comes last", story, a.level()).isGreaterThan(last);
      assertThat(a.end().timestamp()).as("%s: %s ends after it starts", story, a.level()).isGreaterThanOrEqualTo(a.start().timestamp());
      if (engines && !handedOn.contains(UUID.fromString(a.start().taskUuid()))) {
        assertThat(a.complete()).as("%s: ended action %s is complete", story, a.level()).isTrue();
      }
    }
  }

  private static int reread(String lines) {
    try {
      EliotLines.Read read = EliotLines.read(new BufferedReader(new StringReader(lines)), "export");
      assertThat(read.skipped()).isEmpty();
      return read.messages().size();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ProcessView process(UUID id) {
    return s.engine.processes().process(id).orElseThrow();
  }

  private static TaskView current(UUID id) {
    UUID currentId = process(id).currentTask();
    return s.engine.processes().tasks(id).stream().filter(t -> t.id().equals(currentId)).findFirst().orElseThrow();
  }
}
