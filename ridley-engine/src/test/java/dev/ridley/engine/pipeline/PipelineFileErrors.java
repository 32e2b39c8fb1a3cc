package dev.ridley.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Parses text expected to be invalid and checks where the error says the problem is. */
final class PipelineFileErrors {

  static final String FILE = "pipelines/test.yaml";

  private PipelineFileErrors() {}

  static PipelineFileException errorOf(String yaml) {
    try {
      Pipeline p = PipelineLoader.parse(yaml, FILE);
      return fail("expected a PipelineFileException, but loaded " + p);
    } catch (PipelineFileException e) {
      return e;
    }
  }

  /** The error's fields, and its message naming the file, line and key before the problem. */
  static PipelineFileException assertLocated(PipelineFileException e, int line, String key) {
    assertThat(e.file()).isEqualTo(FILE);
    assertThat(e.line()).as("line of: %s", e.getMessage()).isEqualTo(line);
    assertThat(e.key()).as("key of: %s", e.getMessage()).isEqualTo(key);
    assertThat(e).hasMessageStartingWith(FILE + " line " + line + ", key '" + key + "': ");
    return e;
  }
}
