package dev.ridley.engine.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the {@code routes} list: strings of the form {@code <stage>.<outcome> -> <target>}. */
final class RouteParser {

  static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");
  static final Pattern OUTCOME_NAME = Pattern.compile("[a-z][a-z0-9_-]*");
  private static final Pattern SPECIAL = Pattern.compile("(@[a-zA-Z]*)\\s*(?:\\((.*)\\))?");
  private static final List<String> SPECIALS = List.of("@done", "@fail", "@park");
  private static final List<String> PARK_OPTIONS = List.of("replayAfter", "to", "maxReplays");

  private static final String FORM =
      "write '<stage>.<outcome> -> <target>', where the target is a stage, @done, @fail or"
          + " @park(replayAfter=20s, to=<stage>, maxReplays=5), e.g. 'divide.ok -> ocean'";

  private final YamlMap top;
  private final List<String> stages;
  private final Map<String, Integer> routedOnLine = new HashMap<>();
  private String text;
  private String key;
  private int line;

  private RouteParser(YamlMap top, List<String> stages) {
    this.top = top;
    this.stages = stages;
  }

  /** The routes of {@code top}'s {@code routes} key, in file order. */
  static List<Route> parse(YamlMap top, List<String> stages) {
    return new RouteParser(top, stages).parseAll();
  }

  private List<Route> parseAll() {
    List<Node> items = top.list("routes");
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      key = "routes[" + i + "]";
      line = YamlMap.line(item);
      if (!(item instanceof ScalarNode scalar) || YamlMap.isNull(item)) {
        // A common slip: "- divide.ok: ocean" is a mapping in YAML, not a route string.
        throw fail("expected a route string, got " + YamlMap.describe(item) + "; " + FORM);
      }
      text = scalar.getValue().trim();
      routes.add(parseOne());
    }
    return routes;
  }

  private Route parseOne() {
    String[] sides = text.split("->", -1);
    if (sides.length != 2) throw fail("route '" + text + "' is malformed; " + FORM);
    String from = sides[0].trim();
    int dot = from.indexOf('.');
    if (dot < 0) {
      throw fail("route '" + text + "' has no outcome before '->'; " + FORM);
    }
    String stage = from.substring(0, dot);
    String outcome = from.substring(dot + 1);
    if (!STAGE_NAME.matcher(stage).matches()) {
      throw fail("route '" + text + "': '" + stage + "' is not a stage name; " + FORM);
    }
    if (!OUTCOME_NAME.matcher(outcome).matches()) {
      throw fail(
          ("route '%s': '%s' is not an outcome name; outcome names are lowercase letters,"
                  + " digits, '_' and '-', e.g. ok, failed, timeout, retry-later")
              .formatted(text, outcome));
    }
    requireStage(stage, "starts at", stages);
    Target target = target(unquote(sides[1].trim()));
    Integer earlier = routedOnLine.putIfAbsent(stage + "." + outcome, line);
    if (earlier != null) {
      throw fail(
          ("route '%s' repeats %s.%s, already routed on line %d; keep one route per stage and"
                  + " outcome")
              .formatted(text, stage, outcome, earlier));
    }
    return new Route(stage, outcome, target);
  }

  private Target target(String target) {
    if (target.isEmpty()) throw fail("route '" + text + "' has no target after '->'; " + FORM);
    if (!target.startsWith("@")) {
      if (!STAGE_NAME.matcher(target).matches()) {
        throw fail("route '" + text + "': '" + target + "' is not a stage name; " + FORM);
      }
      // "-> done" is more likely a forgotten '@' than a stage name, so suggest both.
      List<String> suggestions = new ArrayList<>(stages);
      suggestions.addAll(SPECIALS);
      requireStage(target, "goes to", suggestions);
      return new Target.ToStage(target);
    }
    Matcher m = SPECIAL.matcher(target);
    if (!m.matches()) throw fail("route '" + text + "' has a malformed target; " + FORM);
    String special = m.group(1);
    String options = m.group(2);
    switch (special) {
      case "@park":
        return park(options == null ? "" : options.trim());
      case "@done", "@fail":
        if (options != null) throw fail("route '" + text + "': " + special + " takes no options");
        return special.equals("@done") ? Target.DONE : Target.FAIL;
      default:
        throw fail(
            "route '%s' goes to unknown target '%s'; expected a stage, @done, @fail or @park(...)%s"
                .formatted(text, special, DidYouMean.hint(special, SPECIALS)));
    }
  }

  private Target.Park park(String options) {
    Map<String, String> given = new HashMap<>();
    if (!options.isEmpty()) {
      for (String option : options.split(",", -1)) {
        int eq = option.indexOf('=');
        if (eq < 0) {
          throw fail(
              "route '"
                  + text
                  + "': park option '"
                  + option.trim()
                  + "' is malformed; write"
                  + " name=value, e.g. @park(replayAfter=20s, to=output-1, maxReplays=5)");
        }
        String name = option.substring(0, eq).trim();
        if (!PARK_OPTIONS.contains(name)) {
          throw fail(
              "route '%s': unknown park option '%s'; expected one of %s%s"
                  .formatted(
                      text,
                      name,
                      String.join(", ", PARK_OPTIONS),
                      DidYouMean.hint(name, PARK_OPTIONS)));
        }
        if (given.putIfAbsent(name, option.substring(eq + 1).trim()) != null) {
          throw fail("route '" + text + "': park option '" + name + "' is given twice");
        }
      }
    }
    Duration replayAfter = null;
    if (given.containsKey("replayAfter")) {
      try {
        replayAfter = Durations.parse(given.get("replayAfter"));
      } catch (IllegalArgumentException e) {
        throw fail("route '" + text + "': replayAfter " + e.getMessage());
      }
      if (replayAfter.isZero()) {
        throw fail("route '" + text + "': replayAfter must be longer than 0");
      }
    }
    String to = given.get("to");
    if (to != null) requireStage(to, "parks to", stages);
    Integer maxReplays = null;
    if (given.containsKey("maxReplays")) {
      String n = given.get("maxReplays");
      if (!n.matches("\\d{1,9}") || Integer.parseInt(n) < 1) {
        throw fail(
            ("route '%s': maxReplays must be a whole number of at least 1, was '%s'; leave it"
                    + " out for unlimited replays")
                .formatted(text, n));
      }
      maxReplays = Integer.parseInt(n);
    }
    return new Target.Park(replayAfter, to, maxReplays);
  }

  private void requireStage(String stage, String verb, List<String> suggestions) {
    if (!stages.contains(stage)) {
      throw fail(
          "route '%s' %s unknown stage '%s'; the stages are %s%s"
              .formatted(
                  text,
                  verb,
                  stage,
                  String.join(", ", stages),
                  DidYouMean.hint(stage, suggestions)));
    }
  }

  // The file format's own example quotes a park target ("@park(...)") inside an otherwise plain
  // route string, where YAML keeps the quotes; accept them rather than fail on a style choice.
  private static String unquote(String s) {
    boolean quoted =
        s.length() >= 2
            && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"));
    return quoted ? s.substring(1, s.length() - 1).trim() : s;
  }

  private PipelineFileException fail(String problem) {
    return new PipelineFileException(top.source(), line, key, problem);
  }
}
