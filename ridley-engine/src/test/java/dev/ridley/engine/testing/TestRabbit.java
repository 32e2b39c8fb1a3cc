package dev.ridley.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real RabbitMQ node per test JVM (Debian's {@code rabbitmq-server}), like the embedded
 * PostgreSQL: its own free ports, its own data directory under the system temp folder, stopped
 * (killed) when the JVM exits. Tests may {@link #kill()} and {@link #restart()} it to play an
 * outage; its data survives a restart, as a real node's does.
 */
public final class TestRabbit {

  static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
  static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
  static final Duration START_WAIT = Duration.ofSeconds(90);

  private static TestRabbit shared;

  private final Path dir;
  private final int port;
  private final int distPort;
  private final String node;
  private Process process;

  private TestRabbit() throws IOException {
    this.dir = Files.createTempDirectory("ridley-rabbit-");
    this.port = freePort();
    this.distPort = freePort();
    this.node = "ridley" + port + "@localhost";
    Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(dir.resolve("mnesia"));
    Files.createDirectories(dir.resolve("log"));
    Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
    Files.writeString(dir.resolve("rabbitmq.conf"), "loopback_users = none\n");
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly));
  }

  /** The node of this JVM, started at the first call. */
  public static synchronized TestRabbit shared() {
    if (shared == null) {
      if (!Files.isExecutable(SERVER)) {
        throw new IllegalStateException(SERVER + " is missing: install Debian's rabbitmq-server (.ci/run does)");
      }
      try {
        shared = new TestRabbit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      shared.start();
    }
    return shared;
  }

  /** {@code amqp://guest:guest@127.0.0.1:<port>/%2f} */
  public String url() {
    return "amqp://guest:guest@127.0.0.1:" + port + "/%2f";
  }

  public int port() {
    return port;
  }

  /** Starts the node (again) and waits until it takes connections. */
  public synchronized void start() {
    ProcessBuilder pb = new ProcessBuilder(SERVER.toString()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()));
    environment(pb.environment());
    long logFrom = logLength();
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + SERVER, e);
    }
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("RabbitMQ exited at start; see " + dir.resolve("out.log"));
      if (started(logFrom)) return;
      sleep(250);
    }
    throw new IllegalStateException("RabbitMQ did not start within " + START_WAIT + "; see " + dir.resolve("out.log"));
  }

  private long logLength() {
    try {
      return Files.exists(dir.resolve("out.log")) ? Files.size(dir.resolve("out.log")) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Whether this start (the log past {@code logFrom}) completed and the port takes connections. */
  private boolean started(long logFrom) {
    try {
      String out = Files.readString(dir.resolve("out.log"));
      if (!out.substring((int) Math.min(logFrom, out.length())).contains("Starting broker... completed")) return false;
    } catch (IOException e) {
      return false;
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void environment(Map<String, String> env) {
    env.put("HOME", dir.resolve("home").toString());
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
  }

  /**
   * Stops the node as an operator would ({@code rabbitmqctl stop}, closing every connection), and
   * waits until it is gone; killed if it takes longer than a minute.
   */
  public synchronized void stop() {
    if (process == null) return;
    ProcessBuilder pb = new ProcessBuilder(CTL.toString(), "-n", node, "stop").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()));
    environment(pb.environment());
    try {
      pb.start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + CTL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(); // whatever is left of it
  }

  /** SIGKILL of the node (the Erlang VM and its helpers): a crash, not a shutdown. */
  public synchronized void kill() {
    if (process == null) return;
    try (Stream<ProcessHandle> children = process.descendants()) {
      children.sorted(Comparator.comparingLong(ProcessHandle::pid).reversed()).forEach(ProcessHandle::destroyForcibly);
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The port is free once the VM is gone.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        sleep(100);
      } catch (IOException gone) {
        break;
      }
    }
    process = null;
  }

  /** Killed and started again, with its data. */
  public void restart() {
    kill();
    start();
  }

  /** At JVM exit: the node is killed and its data directory deleted. */
  private void stopQuietly() {
    try {
      kill();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (IOException | RuntimeException ignored) {
      // the JVM is exiting
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
