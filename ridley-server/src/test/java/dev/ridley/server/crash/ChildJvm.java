package dev.ridley.server.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real child JVM on this test's classpath, with its output captured line by line, that a test
 * can kill with SIGKILL: crashes are real, not simulated.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final String name;
  private final Thread pump;

  private final Path outputFile;

  private ChildJvm(String name, Process process, Path outputFile) {
    this.name = name;
    this.process = process;
    this.outputFile = outputFile;
    this.pump = outputFile != null ? null : Thread.ofPlatform().daemon().name(name + "-output").start(this::pump);
  }

  /** Like {@link #start}, with the child's output written to {@code outputFile} rather than a pipe. */
  static ChildJvm startToFile(String name, Path outputFile, Class<?> main, Map<String, String> env, String... args) {
    return start(name, outputFile, main, env, args);
  }

  static ChildJvm start(String name, Class<?> main, Map<String, String> env, String... args) {
    return start(name, null, main, env, args);
  }

  private static ChildJvm start(String name, Path outputFile, Class<?> main, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (outputFile != null) pb.redirectOutput(outputFile.toFile());
    pb.environment().putAll(env);
    try {
      return new ChildJvm(name, pb.start(), outputFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start child JVM " + name, e);
    }
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // the process died; that is often the point
    }
  }

  /** Waits until the child printed a line containing {@code text}. */
  void awaitLine(String text, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) return;
      if (!process.isAlive()) break;
      Thread.sleep(50);
    }
    throw new AssertionError(name + " did not print '" + text + "' within " + max + "; output:\n" + String.join("\n", lines));
  }

  /** SIGKILL: no shutdown hooks, no goodbyes. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, as an operator or an orchestrator stops a node; waits at most {@code max} for the exit. */
  int terminate(Duration max) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + max + " of SIGTERM; output:\n" + output());
    }
    if (pump != null) pump.join(5_000); // the last lines it printed
    return process.exitValue();
  }

  /** Waits at most {@code max} for the child to exit on its own; its exit code. */
  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + max + "; output:\n" + output());
    }
    if (pump != null) pump.join(5_000);
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  String output() {
    if (outputFile == null) return String.join("\n", lines);
    try {
      return Files.exists(outputFile) ? Files.readString(outputFile) : "";
    } catch (IOException e) {
      return "";
    }
  }

  void saveOutput(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, output());
    } catch (IOException ignored) {
      // diagnostics only
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
