package dev.ridley.engine.pipeline;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the text of one pipeline file into a {@link Pipeline}. Works on SnakeYAML's node tree (not
 * on Java objects or Jackson bindings) because only the nodes keep their line numbers.
 */
final class PipelineParser {

  static final List<String> KEYS = List.of("name", "timeout", "retention", "defaults", "stages", "routes", "transport");
  static final Pattern PIPELINE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /** The pipeline and the line of its name, for the duplicate-name message of a folder. */
  record Parsed(Pipeline pipeline, int nameLine) {}

  private PipelineParser() {}

  static Parsed parse(String yaml, String source) {
    YamlMap top = YamlMap.of(compose(yaml, source), source, "", KEYS);
    String name = name(top);
    Duration timeout = top.duration("timeout", false).orElse(Pipeline.DEFAULT_TIMEOUT);
    // A top-level transport applies to every stage that does not name its own (nor the defaults).
    Transport transport = StageSettings.transport(top);
    StageSettings defaults = StageSettings.read(top.map("defaults", StageSettings.KEYS))
        .orElse(new StageSettings(Timeouts.UNSET, StageSettings.RetrySettings.NONE, null, transport));
    List<Stage> stages = stages(top, defaults);
    List<String> stageNames = stages.stream().map(Stage::name).toList();
    List<Route> routes = RouteParser.parse(top, stageNames);
    Duration retention = retention(top);
    return new Parsed(new Pipeline(name, timeout, stages, routes, source, retention), top.keyLine("name"));
  }

  /** {@code retention: 7d}, or {@code forever}; null when the file leaves it to the engine's default. */
  private static Duration retention(YamlMap top) {
    if (!top.has("retention")) return null;
    if (top.string("retention").orElseThrow().equals("forever")) return Pipeline.KEEP_FOREVER;
    Duration d;
    try {
      d = top.duration("retention", true).orElseThrow();
    } catch (PipelineFileException e) {
      throw top.error("retention", "'" + top.string("retention").orElseThrow() + "' is not a retention;"
          + " write how long an ended process is kept, e.g. 'retention: 7d' (units ms, s, m, h, d),"
          + " or 'retention: forever'");
    }
    if (d.compareTo(Pipeline.MIN_RETENTION) < 0) {
      throw top.error("retention", "must be at least 1s, was " + Durations.format(d)
          + "; leave the key out to use the server's default (RIDLEY_RETENTION)");
    }
    return d;
  }

  private static Node compose(String yaml, String source) {
    try {
      // Yaml is not thread-safe, and cheap enough to create per file.
      return new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new PipelineFileException(
          source, mark == null ? 0 : mark.getLine() + 1, null, "invalid YAML: " + describe(e), e);
    } catch (YAMLException e) {
      throw new PipelineFileException(source, 0, null, "invalid YAML: " + e.getMessage(), e);
    }
  }

  // SnakeYAML splits its messages in two: "expected a single document in the stream" + "but
  // found another document", or "found character '\t'..." + "while scanning for the next token".
  private static String describe(MarkedYAMLException e) {
    if (e.getProblem() == null) return e.getMessage();
    if (e.getContext() == null) return e.getProblem();
    if (e.getProblem().startsWith("but ")) return e.getContext() + ", " + e.getProblem();
    return e.getProblem() + " (" + e.getContext() + ")";
  }

  private static String name(YamlMap top) {
    if (!top.has("name")) {
      throw new PipelineFileException(
          top.source(),
          top.line(),
          "name",
          "missing; every pipeline file needs a name, e.g. 'name: divide'");
    }
    String name = top.string("name").orElseThrow();
    if (!PIPELINE_NAME.matcher(name).matches()) {
      throw top.error(
          "name",
          "'"
              + name
              + "' is not a pipeline name; use lowercase letters, digits, '_' and '-',"
              + " starting with a letter or digit");
    }
    return name;
  }

  private static List<Stage> stages(YamlMap top, StageSettings defaults) {
    String example = "e.g. 'stages: {divide: {}, ocean: {}}'";
    if (!top.has("stages")) {
      throw new PipelineFileException(
          top.source(), top.line(), "stages", "missing; list at least one stage, " + example);
    }
    YamlMap byName = top.map("stages", null);
    if (byName.keys().isEmpty()) {
      throw new PipelineFileException(
          top.source(),
          top.keyLine("stages"),
          "stages",
          "no stages; list at least one stage, " + example);
    }
    List<Stage> stages = new ArrayList<>();
    for (String name : byName.keys()) {
      if (!RouteParser.STAGE_NAME.matcher(name).matches()) {
        throw new PipelineFileException(
            top.source(),
            byName.keyLine(name),
            byName.keyPath(name),
            "'"
                + name
                + "' is not a stage name; use letters, digits, '_' and '-', starting with"
                + " a letter or digit");
      }
      StageSettings own = StageSettings.read(byName.map(name, StageSettings.KEYS));
      stages.add(own.orElse(defaults).toStage(name));
    }
    return stages;
  }
}
