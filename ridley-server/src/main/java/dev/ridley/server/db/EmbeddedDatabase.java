package dev.ridley.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, run for keeps rather than for tests: durable settings, no orphan left
 * behind when the server JVM dies, and a clean start over one that was.
 *
 * <p>The postmaster runs in a process group of its own, so a SIGKILL of the server (or of its
 * process group) leaves it running on the data directory, and the next start could not get it.
 * Two things prevent that: at start, a postmaster still named in {@code postmaster.pid} is stopped
 * (fast shutdown, then SIGKILL of it and its backends after {@link #STOP_WAIT}); and a watchdog
 * process, in a session of its own, stops the postmaster within about two seconds of the JVM's
 * death. A clean close stops the watchdog first, then PostgreSQL.
 *
 * <p>Should PostgreSQL die while the server runs (killed, out of memory), it is started again on
 * the same data directory and port, so the connection pool finds it where it was and the node
 * recovers without an operator; PostgreSQL's crash recovery replays what was committed.
 */
final class EmbeddedDatabase implements AutoCloseable {

  /** How long a postmaster left by a dead server gets to stop before it is killed. */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** The longest a restart after an unexpected exit keeps trying. */
  static final Duration RESTART_FOR = Duration.ofMinutes(2);

  private final Path root;
  private final String synchronousCommit;
  private final String password;
  private final Object lock = new Object();
  private EmbeddedPostgres postgres; // guarded by lock
  private Process watchdog; // guarded by lock
  private boolean closed; // guarded by lock

  private EmbeddedDatabase(Path root, String synchronousCommit) {
    this.root = root;
    this.synchronousCommit = synchronousCommit;
    this.password = DatabaseSecret.password(root);
  }

  /**
   * Starts PostgreSQL on {@code dataDir/postgres}.
   *
   * @param synchronousCommit {@code on} (the default: an answered write is on disk) or {@code off}
   */
  static EmbeddedDatabase start(Path dataDir, String synchronousCommit) {
    EmbeddedDatabase db = new EmbeddedDatabase(dataDir.toAbsolutePath(), synchronousCommit);
    synchronized (db.lock) {
      db.launch(0);
    }
    return db;
  }

  /** Starts PostgreSQL (on {@code port}, or any free one for 0), its watchdog and its monitor. */
  private void launch(int port) {
    Path pgData = root.resolve("postgres");
    try {
      Files.createDirectories(pgData);
      DatabaseSecret.makePrivate(root);
      stopLeftover(pgData);
      log.info("starting embedded PostgreSQL with data in {}", pgData);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setPort(port)
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(root.resolve("runtime").toFile())
          .setPGStartupWait(Duration.ofSeconds(60))
          // The embedded library's defaults are a test's (-F: no fsync, no synchronous commit);
          // these come after them on the command line and win.
          .setServerConfig("fsync", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("synchronous_commit", synchronousCommit)
          .setServerConfig("max_connections", "200")
          .setServerConfig("password_encryption", "scram-sha-256")
          .setConnectConfig("password", password)
          .setDataDirectoryCustomizer(dir -> DatabaseSecret.writeHba(dir.toPath()))
          .start();
      ProcessHandle pm = postmaster(pgData).orElseThrow(() -> new IOException(
          "the embedded PostgreSQL started but " + pgData + "/postmaster.pid names no live postmaster"));
      if (!DatabaseSecret.hardened(pgData)) {
        DatabaseSecret.harden(pg.getJdbcUrl("postgres", "postgres"), pgData, password, pm.pid());
      }
      // The library leaves its binaries world-writable; nobody else may replace what we run.
      DatabaseSecret.makePrivate(root);
      postgres = pg;
      watchdog = watchdog(pgData, pm.pid());
      pm.onExit().thenRun(() -> restartAfterExit(pm.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL in " + pgData + " (RIDLEY_DATA_DIR): " + e.getMessage(), e);
    }
  }

  /** The superuser's password (from {@code postgres.password} in the data directory). */
  String password() {
    return password;
  }

  String jdbcUrl() {
    synchronized (lock) {
      return postgres.getJdbcUrl("postgres", "postgres");
    }
  }

  /** PostgreSQL exited while the server runs: start it again where the pool expects it. */
  private void restartAfterExit(long pid) {
    synchronized (lock) {
      if (closed) return;
      int port = postgres.getPort();
      log.error("the embedded PostgreSQL (pid {}) exited while the server runs; starting it again on port {}", pid, port);
      watchdog.destroy();
      try {
        postgres.close(); // nothing left to stop, but it releases its lock on the data directory
      } catch (IOException | RuntimeException e) {
        log.debug("closing the exited PostgreSQL: {}", String.valueOf(e));
      }
      long deadline = System.nanoTime() + RESTART_FOR.toNanos();
      long backoffMs = 200;
      while (!closed) {
        try {
          launch(port);
          log.info("the embedded PostgreSQL runs again on port {}", port);
          return;
        } catch (RuntimeException e) {
          log.debug("the embedded PostgreSQL did not start yet: {}", String.valueOf(e));
          if (System.nanoTime() > deadline) {
            log.error("could not start the embedded PostgreSQL again within {} s; /health stays DOWN: {}",
                RESTART_FOR.toSeconds(), e.getMessage());
            return;
          }
          try {
            lock.wait(backoffMs); // releases the lock, so a close can go ahead meanwhile
          } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return;
          }
          backoffMs = Math.min(backoffMs * 2, 5_000);
        }
      }
    }
  }

  /** Stops a postmaster that a dead server left running on this data directory, if any. */
  static void stopLeftover(Path pgData) {
    Optional<ProcessHandle> leftover = postmaster(pgData);
    if (leftover.isEmpty()) return;
    ProcessHandle pm = leftover.get();
    log.warn("a PostgreSQL (pid {}) left by an earlier server still runs on {}; stopping it", pm.pid(), pgData);
    List<ProcessHandle> backends = pm.descendants().toList();
    signal("INT", pm.pid()); // fast shutdown: roll back, checkpoint, exit
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (pm.isAlive() && System.nanoTime() < deadline) {
      sleep(100);
    }
    if (pm.isAlive()) {
      log.warn("PostgreSQL (pid {}) did not stop within {} s; killing it", pm.pid(), STOP_WAIT.toSeconds());
      pm.destroyForcibly();
    }
    // Backends outliving a killed postmaster hold its shared memory, and a new one would refuse it.
    backends.forEach(ProcessHandle::destroyForcibly);
    while (pm.isAlive() || backends.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(50);
    }
  }

  /** The live postmaster named in the data directory's {@code postmaster.pid}, if it is one. */
  static Optional<ProcessHandle> postmaster(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) return Optional.empty();
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.isEmpty() || lines.getFirst().isBlank()) return Optional.empty();
      long pid = Long.parseLong(lines.getFirst().trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // unreadable or half-written: PostgreSQL itself decides at start
    }
  }

  /**
   * A shell in a session of its own that outlives this JVM by at most about a second, then asks
   * the postmaster for a fast shutdown and, if it is still there after {@link #STOP_WAIT}, kills
   * it. It checks the pid file still names the same postmaster before each signal.
   */
  private static Process watchdog(Path pgData, long pm) throws IOException {
    String script = String.join("\n",
        "jvm=$1; pm=$2; pidfile=$3",
        "while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done",
        "same() { [ \"$(head -n 1 \"$pidfile\" 2>/dev/null)\" = \"$pm\" ]; }",
        "same && kill -INT \"$pm\" 2>/dev/null",
        "i=0; while same && kill -0 \"$pm\" 2>/dev/null && [ $i -lt " + STOP_WAIT.toSeconds() * 10 + " ]; do sleep 0.1; i=$((i+1)); done",
        "same && kill -KILL \"$pm\" 2>/dev/null",
        "exit 0");
    ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", script, "ridley-pg-watchdog",
        Long.toString(ProcessHandle.current().pid()), Long.toString(pm), pgData.resolve("postmaster.pid").toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  private static void signal(String sig, long pid) {
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a leftover PostgreSQL", e);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      watchdog.destroy();
      try {
        postgres.close();
      } catch (IOException e) {
        log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
