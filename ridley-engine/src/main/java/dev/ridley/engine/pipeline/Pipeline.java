package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A pipeline definition: named stages and the routes between them. Immutable; built by {@link
 * PipelineLoader} from a YAML file, or directly in code and tests.
 *
 * <p>A process starts at the first stage listed. An outcome with no route ends the process: an
 * unrouted {@code ok} (or any other non-failure outcome) means {@code @done}, an unrouted {@code
 * failed} means {@code @fail}, an unrouted {@code timeout} means the process is LOST.
 *
 * @param name unique pipeline name, used in URLs
 * @param timeout the process start-to-end timer
 * @param stages the stages in the order the file lists them; never empty
 * @param routes every route declared by the file, in order
 * @param source where the definition came from (a file path, or "code"), for messages
 */
public record Pipeline(
    String name, Duration timeout, List<Stage> stages, List<Route> routes, String source) {

  /** Default process start-to-end timeout when the file gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  public Pipeline {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no stages");
    }
    stages = List.copyOf(stages);
    routes = List.copyOf(routes);
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
  }

  public Stage firstStage() {
    return stages.getFirst();
  }

  public Optional<Stage> stage(String stageName) {
    return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
  }

  public Map<String, Stage> stagesByName() {
    return stages.stream()
        .collect(Collectors.toMap(Stage::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** The declared route for this stage and outcome, if any. */
  public Optional<Target> route(String stageName, String outcome) {
    return routes.stream()
        .filter(r -> r.stage().equals(stageName) && r.outcome().equals(outcome))
        .map(Route::target)
        .findFirst();
  }
}
