package dev.ridley.server.trace;

import dev.ridley.engine.Engine;
import dev.ridley.engine.tree.ProcessTree;
import dev.ridley.engine.EndedProcess;
import dev.ridley.engine.LoopHealth;
import java.util.UUID;
import dev.ridley.server.config.ConfigException;
import dev.ridley.server.loop.WatchedLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Writes the server's actions as Eliot JSON lines: each time a process ends (succeeded, failed,
 * lost, parked or cancelled), its whole action tree is appended to the log, so {@code cat
 * server.log worker.log | ridley tree} (or eliot-tree) shows the story across processes. It
 * follows the journal in the database, so it sees every node's work.
 */
public final class EliotJournalLog implements AutoCloseable {

  /** The longest wait between two rounds while they keep failing. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  private static final int BATCH = 500;
  /** Ends are written this long after they happen, once every earlier transaction committed. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final Engine engine;
  private final PrintStream out;
  private final WatchedLoop loop;
  private volatile long cursor;

  private EliotJournalLog(Engine engine, PrintStream out, Duration every) {
    this.engine = engine;
    this.out = out;
    this.cursor = engine.operations().journalHead();
    // Whatever a round throws is logged once per failure streak and the loop goes on after a
    // back-off: the cursor only moves past trees written, so nothing is skipped.
    this.loop = WatchedLoop.start("eliotLog", engine.clock(), "ridley-eliot-log", every, MAX_BACKOFF,
        () -> drain() == BATCH);
  }

  /**
   * Starts following the journal from now on.
   *
   * @param target a file path, or {@code -} / {@code stdout} for standard output
   */
  public static EliotJournalLog start(Engine engine, String target, Duration every) {
    OutputStream sink;
    if (target.equals("-") || target.equalsIgnoreCase("stdout")) {
      sink = System.out;
    } else {
      Path file = Path.of(target).toAbsolutePath();
      try {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        sink = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new ConfigException("RIDLEY_ELIOT_LOG=" + target + " cannot be written: " + e.getMessage()
            + "; give a writable file, '-' for stdout, or unset it");
      }
    }
    return new EliotJournalLog(engine, new PrintStream(sink, true, StandardCharsets.UTF_8), every);
  }

  /** Writes the trees of the processes that ended since the last call; returns how many. */
  int drain() {
    java.time.Instant settled = engine.clock().instant().minus(SETTLE);
    List<EndedProcess> ended = engine.operations().endedAfter(cursor, settled, BATCH);
    for (EndedProcess e : ended) {
      UUID id = e.processId();
      String lines = ProcessTree.of(id, engine.processes().events(id), engine.processes().tasks(id)).toEliotLines();
      synchronized (out) {
        out.print(lines.endsWith("\n") ? lines : lines + "\n");
      }
      cursor = e.position();
    }
    return ended.size();
  }

  /** The loop's state, for {@code /health}. */
  public LoopHealth health() {
    return loop.health();
  }

  @Override
  public void close() {
    loop.close();
    if (out != System.out) out.close();
  }
}
