package dev.ridley.engine.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads pipeline definitions from YAML files. Every problem is a {@link PipelineFileException}
 * naming the file, line and key, so a server can refuse to start with a message that says what to
 * fix. See the "Pipeline file" section of the design for the format.
 */
public final class PipelineLoader {

  private PipelineLoader() {}

  /**
   * Loads every {@code *.yaml} and {@code *.yml} file of {@code dir}, sorted by file name; sub
   * folders are not searched.
   *
   * @throws PipelineFileException if the folder is missing, any file is invalid, or two files
   *     define the same pipeline name
   */
  public static List<Pipeline> loadDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      String problem = Files.exists(dir) ? "not a folder" : "no such folder";
      throw new PipelineFileException(
          dir.toString(), 0, null, problem + " (looked in " + dir.toAbsolutePath() + ")");
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(PipelineLoader::isPipelineFile).sorted().toList();
    } catch (IOException e) {
      throw new PipelineFileException(dir.toString(), 0, null, "cannot list: " + e, e);
    }
    List<Pipeline> pipelines = new ArrayList<>();
    Map<String, String> fileByName = new HashMap<>();
    for (Path file : files) {
      PipelineParser.Parsed parsed = PipelineParser.parse(read(file), file.toString());
      String name = parsed.pipeline().name();
      String first = fileByName.putIfAbsent(name, file.toString());
      if (first != null) {
        throw new PipelineFileException(
            file.toString(),
            parsed.nameLine(),
            "name",
            "pipeline '"
                + name
                + "' is already defined in "
                + first
                + "; pipeline names must be unique");
      }
      pipelines.add(parsed.pipeline());
    }
    return List.copyOf(pipelines);
  }

  /** Loads one file; the path as given becomes {@link Pipeline#source()}. */
  public static Pipeline loadFile(Path file) {
    return parse(read(file), file.toString());
  }

  /**
   * Parses the text of a pipeline file.
   *
   * @param sourceName where the text came from, for messages and {@link Pipeline#source()}
   */
  public static Pipeline parse(String yaml, String sourceName) {
    return PipelineParser.parse(yaml, sourceName).pipeline();
  }

  // Dot files are skipped: editors leave lock and swap files such as .#divide.yaml next to the
  // real ones.
  private static boolean isPipelineFile(Path path) {
    String name = path.getFileName().toString();
    return (name.endsWith(".yaml") || name.endsWith(".yml"))
        && !name.startsWith(".")
        && Files.isRegularFile(path);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String problem =
          Files.exists(file)
              ? "cannot read (" + e + ")"
              : "no such file (looked in " + file.toAbsolutePath() + ")";
      throw new PipelineFileException(file.toString(), 0, null, problem, e);
    }
  }
}
