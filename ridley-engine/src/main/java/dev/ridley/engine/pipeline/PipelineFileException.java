package dev.ridley.engine.pipeline;

import dev.ridley.engine.RidleyException;

/**
 * A pipeline file (or folder of them) that cannot be loaded. The message names the file, the
 * 1-based line and the dotted key path, then says what is wrong and how to fix it:
 *
 * <pre>
 * pipelines/divide.yaml line 7, key 'stages.divide.timeouts.hartbeat': unknown key; expected one
 * of enqueueToPoll, pollToEnd, enqueueToEnd, heartbeat; did you mean 'heartbeat'?
 * </pre>
 */
public final class PipelineFileException extends RidleyException {

  private final String file;
  private final int line;
  private final String key;
  private final String problem;

  /**
   * @param file the file or folder, as the user named it
   * @param line 1-based line, or 0 when the problem concerns the whole file or folder
   * @param key the dotted key path, e.g. {@code stages.divide.retry}; null when no key applies
   * @param problem what is wrong, and the fix
   */
  public PipelineFileException(String file, int line, String key, String problem) {
    this(file, line, key, problem, null);
  }

  public PipelineFileException(String file, int line, String key, String problem, Throwable cause) {
    super(describe(file, line, key, problem), cause);
    this.file = file;
    this.line = line;
    this.key = key;
    this.problem = problem;
  }

  private static String describe(String file, int line, String key, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) sb.append(" line ").append(line);
    if (key != null) sb.append(", key '").append(key).append('\'');
    return sb.append(": ").append(problem).toString();
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when the problem concerns the whole file or folder. */
  public int line() {
    return line;
  }

  /** Null when no key applies, e.g. a YAML syntax error or a missing folder. */
  public String key() {
    return key;
  }

  /** The message without the location, for callers that show the location separately. */
  public String problem() {
    return problem;
  }
}
