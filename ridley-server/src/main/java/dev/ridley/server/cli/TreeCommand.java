package dev.ridley.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ridley.engine.tree.EliotLines;
import dev.ridley.engine.tree.EliotMessage;
import dev.ridley.engine.tree.TaskTree;
import dev.ridley.engine.tree.TreeJson;
import dev.ridley.engine.tree.TreeText;
import dev.ridley.engine.tree.Trees;
import dev.ridley.server.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ridley tree}: one tree per message across processes. Sources are process ids (their
 * tree is fetched from the server) and Eliot log files, merged by task uuid and level, like {@code
 * cat client.log service.log | eliot-tree}.
 */
@Command(
    name = "tree",
    mixinStandardHelpOptions = true,
    description = {
      "Show action trees (Eliot's model): of processes, fetched from the server, and of Eliot",
      "JSON log files (workers', services'), merged into one tree per task. With no SOURCE, or",
      "'-', reads a log from stdin:  cat client.log service.log | ridley tree"
    })
final class TreeCommand implements Callable<Integer> {

  private static final String UUID_FORM = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  @Parameters(paramLabel = "SOURCE", description = "A process id, an Eliot log file, or - for stdin.")
  List<String> sources = new ArrayList<>();

  @Option(names = "--url", description = "The Ridley server for process ids. Default: $RIDLEY_URL, else http://127.0.0.1:8088.")
  String url;

  @Option(names = {"-l", "--field-limit"}, defaultValue = "100",
      description = "Cut field values at this length or their first newline; 0 shows them whole. Default: ${DEFAULT-VALUE}.")
  int fieldLimit;

  @Option(names = "--json", description = "Print the trees as JSON.")
  boolean json;

  @Option(names = "--eliot", description = "Print the merged Eliot messages as JSON lines, for eliot-tree or a file.")
  boolean eliot;

  @Spec CommandSpec spec;

  InputStream stdin = System.in;

  /** A source the command cannot read: the message says which and why. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<EliotMessage> messages = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try {
      for (String source : sources.isEmpty() ? List.of("-") : sources) {
        EliotLines.Read read = read(source);
        messages.addAll(read.messages());
        skipped.addAll(read.skipped());
      }
    } catch (Unreadable e) {
      err.println("ridley tree: " + e.getMessage());
      return 1;
    }
    if (!skipped.isEmpty()) {
      err.println("ridley tree: skipped " + skipped.size() + " line(s) that are not Eliot messages, e.g. " + skipped.getFirst());
    }
    if (messages.isEmpty()) {
      err.println("ridley tree: no Eliot messages in " + (sources.isEmpty() ? "stdin" : String.join(", ", sources)));
      return 1;
    }
    Trees.Merged merged = Trees.merge(messages);
    if (eliot) {
      out.print(EliotLines.write(messages));
    } else if (json) {
      ArrayNode trees = Json.MAPPER.createArrayNode();
      for (TaskTree t : merged.tasks()) trees.add(TreeJson.of(t));
      out.println(trees.toPrettyString());
    } else {
      out.print(TreeText.render(merged.tasks(), fieldLimit));
    }
    out.flush();
    return 0;
  }

  private EliotLines.Read read(String source) throws Unreadable {
    try {
      if (source.equals("-")) {
        return EliotLines.read(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), "stdin");
      }
      Path file = Path.of(source);
      if (Files.isRegularFile(file)) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          return EliotLines.read(in, source);
        }
      }
      if (source.matches(UUID_FORM)) {
        return EliotLines.read(new BufferedReader(new StringReader(fetch(source))), source);
      }
      throw new Unreadable("'" + source + "' is neither a file nor a process id");
    } catch (IOException e) {
      throw new Unreadable("cannot read " + source + ": " + e.getMessage());
    }
  }

  /** The API key the command line sends to a server with authentication, as a bearer credential. */
  static final String API_KEY_VARIABLE = "RIDLEY_API_KEY";

  /** The process's tree as Eliot lines, from the server. */
  private String fetch(String processId) throws Unreadable {
    String base = server();
    URI uri = URI.create(base + "/api/v1/processes/" + processId + "/tree?format=eliot");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
      String key = System.getenv(API_KEY_VARIABLE);
      if (key != null && !key.isBlank()) request.header("Authorization", "Bearer " + key.strip());
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() == 401) {
        throw new Unreadable(base + " wants a key: set " + API_KEY_VARIABLE + " (" + Json.read(r.body()).path("detail").asText("") + ")");
      }
      if (r.statusCode() == 404) {
        throw new Unreadable("no process " + processId + " on " + base);
      }
      if (r.statusCode() != 200) {
        throw new Unreadable(base + " answered " + r.statusCode() + " for process " + processId + ": "
            + Json.read(r.body()).path("detail").asText(r.body()));
      }
      return r.body();
    } catch (IOException e) {
      throw new Unreadable("cannot reach the Ridley server at " + base + " (set RIDLEY_URL or --url): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreadable("interrupted while fetching process " + processId);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("'" + base + "' is not a server URL like http://127.0.0.1:8088");
    }
  }

  private String server() {
    String u = url != null ? url : System.getenv().getOrDefault("RIDLEY_URL", "http://127.0.0.1:8088");
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
