package dev.ridley.engine.internal.dispatch;

import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for each poll, which stages may be claimed from and how: paused stages not at all,
 * stages with a {@code maxInFlight} one by one under their in-flight lock, and all the others
 * together in one statement (the fast path, as if there were no limits at all).
 */
public final class StageGate {

  /**
   * A stage of one pipeline that needs its own claim.
   *
   * @param maxInFlight the stage's limit; 0 when it has none but shares its name with a stage
   *     that is limited or paused in another pipeline
   */
  public record Scoped(String pipeline, String stage, int maxInFlight) {}

  /**
   * What one poll claims: {@code fast} stage names in one statement, then each {@code scoped}
   * stage, in a fixed order so that two polls take in-flight locks in the same order.
   */
  public record Plan(List<String> fast, List<Scoped> scoped) {}

  private static final Comparator<Scoped> LOCK_ORDER =
      Comparator.comparing(Scoped::pipeline).thenComparing(Scoped::stage);

  private final Map<String, List<Scoped>> byName = new HashMap<>();
  private final Set<String> unlimitedNames = new HashSet<>();
  /** Names of stages that are amqp in some pipeline: polls claim them per pipeline, never together. */
  private final Set<String> brokeredNames = new HashSet<>();
  private final Pauses pauses;

  public StageGate(Collection<Pipeline> pipelines, Pauses pauses) {
    this.pauses = pauses;
    for (Pipeline p : pipelines) {
      for (Stage s : p.stages()) {
        if (s.brokered()) {
          // Its tasks go through the broker: an HTTP poll never hands them out.
          brokeredNames.add(s.name());
          byName.computeIfAbsent(s.name(), k -> new ArrayList<>());
          continue;
        }
        byName.computeIfAbsent(s.name(), k -> new ArrayList<>())
            .add(new Scoped(p.name(), s.name(), s.maxInFlight()));
      }
    }
    byName.forEach(
        (name, stages) -> {
          if (stages.stream().allMatch(s -> s.maxInFlight() == 0)) unlimitedNames.add(name);
        });
  }

  public Plan plan(List<String> names) {
    Pauses.Snapshot paused = pauses.current();
    List<String> fast = new ArrayList<>(names.size());
    List<Scoped> scoped = new ArrayList<>();
    for (String name : names) {
      List<Scoped> stages = byName.getOrDefault(name, List.of());
      boolean anyPaused = paused.anyPaused() && stages.stream().anyMatch(s -> paused.paused(s.pipeline(), s.stage()));
      if (unlimitedNames.contains(name) && !anyPaused && !brokeredNames.contains(name)) {
        fast.add(name);
        continue;
      }
      for (Scoped s : stages) {
        if (!paused.paused(s.pipeline(), s.stage())) scoped.add(s);
      }
    }
    scoped.sort(LOCK_ORDER);
    return new Plan(fast, scoped);
  }

  /** Whether the stage has a maxInFlight, so a finished task there frees a slot pollers wait for. */
  public boolean limited(String pipeline, String stage) {
    for (Scoped s : byName.getOrDefault(stage, List.of())) {
      if (s.pipeline().equals(pipeline)) return s.maxInFlight() > 0;
    }
    return false;
  }

  public Pauses pauses() {
    return pauses;
  }
}
