package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
 * @param retention how long a process is kept after it ended (succeeded, failed, was cancelled or
 *     lost) before it is deleted with its tasks and journal; null: the engine's default retention
 *     ({@code EngineBuilder.defaultRetention}); {@link #KEEP_FOREVER}: never deleted. Parked and
 *     running processes are never deleted.
 * @param webhook the {@code notify} webhook told when a process ends in one of its statuses; null: none
 */
public record Pipeline(
    String name,
    Duration timeout,
    List<Stage> stages,
    List<Route> routes,
    String source,
    Duration retention,
    Webhook webhook) {

  /** Default process start-to-end timeout when the file gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  /** The {@link #retention()} of {@code retention: forever}: ended processes are kept until deleted by hand. */
  public static final Duration KEEP_FOREVER = ChronoUnit.FOREVER.getDuration();

  /** The shortest retention accepted. */
  public static final Duration MIN_RETENTION = Duration.ofSeconds(1);

  public Pipeline {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no stages");
    }
    stages = List.copyOf(stages);
    routes = List.copyOf(routes);
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (retention != null && retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException(
          "pipeline " + name + ": retention must be at least 1s, was " + retention.toMillis() + "ms");
    }
  }

  /** A pipeline with no terminal-state webhook. */
  public Pipeline(String name, Duration timeout, List<Stage> stages, List<Route> routes, String source,
      Duration retention) {
    this(name, timeout, stages, routes, source, retention, null);
  }

  /** A pipeline that keeps its ended processes as long as the engine's default retention says. */
  public Pipeline(String name, Duration timeout, List<Stage> stages, List<Route> routes, String source) {
    this(name, timeout, stages, routes, source, null, null);
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
