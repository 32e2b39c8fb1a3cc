package dev.ridley.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Without the OpenTelemetry API on the classpath, a handler runs as before: no class is missing. */
class HandlerSpanWithoutOtelTest {

  @Test
  void entering_a_tasks_context_without_opentelemetry_does_nothing_and_loads_none_of_its_classes() throws Exception {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("opentelemetry"))
        .collect(Collectors.joining(File.pathSeparator));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, Main.class.getName()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("opentelemetry absent").contains("entered and left");
    assertThat(child.exitValue()).as(out).isZero();
  }

  /** Runs in a JVM whose classpath has no OpenTelemetry jar. */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      try {
        Class.forName("io.opentelemetry.context.Context");
        System.out.println("opentelemetry present");
      } catch (ClassNotFoundException expected) {
        System.out.println("opentelemetry absent");
      }
      UUID process = UUID.randomUUID();
      PolledTask task = new PolledTask(UUID.randomUUID(), process, "divide", "divide", 1, null,
          process + "@/2/3", null);
      try (AutoCloseable context = HandlerSpan.enter(task)) {
        System.out.println("entered and left");
      }
    }
  }
}
