package dev.ridley.engine.pipeline;

import dev.ridley.engine.ProcessStatus;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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

  static final List<String> KEYS =
      List.of("name", "timeout", "retention", "defaults", "stages", "routes", "notify", "transport");
  static final List<String> NOTIFY_KEYS = List.of("url", "on");
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
    Webhook webhook = webhook(top);
    return new Parsed(new Pipeline(name, timeout, stages, routes, source, retention, webhook), top.keyLine("name"));
  }

  /** {@code notify: {url: https://..., on: [FAILED, LOST]}}; null when the file has none. */
  private static Webhook webhook(YamlMap top) {
    if (!top.has("notify")) return null;
    YamlMap n = top.map("notify", NOTIFY_KEYS);
    String example = "e.g. 'notify: {url: https://hooks.example.com/ridley, on: [FAILED, LOST]}'";
    String url = n.string("url").orElseThrow(() -> new PipelineFileException(
        n.source(), n.line(), n.keyPath("url"), "missing; give the webhook's http(s) URL, " + example));
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw n.error("url", "'" + url + "' is not a URL (" + e.getReason() + "); " + example);
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
      throw n.error("url", "'" + url + "' is not an absolute http or https URL; " + example);
    }
    Set<ProcessStatus> on = EnumSet.noneOf(ProcessStatus.class);
    List<String> names = n.strings("on", "a process status").orElse(null);
    if (names == null) {
      on.addAll(Webhook.DEFAULT_ON);
    } else {
      if (names.isEmpty()) {
        throw n.error("on", "no statuses; list at least one of " + ends() + ", or leave 'on' out for FAILED and LOST");
      }
      for (String name : names) {
        ProcessStatus status = Arrays.stream(ProcessStatus.values()).filter(st -> st.name().equals(name)).findFirst()
            .filter(Webhook.ENDS::contains)
            .orElseThrow(() -> n.error("on", "'" + name + "' is not a status a process ends in; use " + ends()));
        on.add(status);
      }
    }
    return new Webhook(uri, on);
  }

  private static String ends() {
    return "SUCCEEDED, FAILED, LOST, CANCELLED or PARKED";
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
