package dev.ridley.bench;

import dev.ridley.server.RidleyServer;
import dev.ridley.server.config.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Ridley server for the HTTP workers: by default its own JVM ({@code ridley server} from this
 * module's classpath), so that the workers pay the real protocol and the server's memory and
 * threads can be measured apart from the load generator; in tests, a server in this JVM.
 */
abstract class ServerNode implements AutoCloseable {

  /** The application name the server's connections carry, to count them in pg_stat_activity. */
  static final String APPLICATION_NAME = "ridley-server";

  abstract URI uri();

  /** The server's process id (this JVM's for an in-process server). */
  abstract long pid();

  @Override
  public abstract void close();

  static ServerNode childJvm(Rig rig, List<String> jvmOptions, Map<String, String> env) {
    int port = freePort();
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.addAll(jvmOptions);
    // The bench JVM's ahead-of-time cache (./ridley aot) covers the server too: same classpath.
    String aot = System.getProperty("ridley.aotCache");
    if (aot != null && jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:AOTCache"))) cmd.add("-XX:AOTCache=" + aot);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.ridley.server.cli.RidleyCli");
    cmd.add("server");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("RIDLEY_DB_URL", withApplicationName(rig.dbUrl()));
    pb.environment().put("RIDLEY_PIPELINES", rig.pipelineDir().toString());
    pb.environment().put("RIDLEY_HTTP_PORT", Integer.toString(port));
    pb.environment().put("RIDLEY_BIND", "127.0.0.1");
    pb.environment().putIfAbsent("RIDLEY_LOG_LEVEL", "WARN");
    pb.environment().putAll(env);
    try {
      Path log = Files.createTempFile("ridley-bench-server", ".log");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      URI uri = URI.create("http://127.0.0.1:" + port);
      awaitHealthy(uri, p, log);
      System.err.println("bench: server pid " + p.pid() + " on " + uri + ", log " + log);
      return new ServerNode() {
        @Override
        URI uri() {
          return uri;
        }

        @Override
        long pid() {
          return p.pid();
        }

        @Override
        public void close() {
          p.destroy();
          try {
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
          } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
          }
        }
      };
    } catch (IOException e) {
      throw new BenchException("could not start the server JVM: " + e.getMessage(), e);
    }
  }

  static ServerNode inThisJvm(Rig rig, Duration retention) {
    return inThisJvm(rig, retention, null);
  }

  static ServerNode inThisJvm(Rig rig, Duration retention, String amqpUrl) {
    ServerConfig config =
        ServerConfig.newBuilder()
            .setDbUrl(withApplicationName(rig.dbUrl()))
            .setPipelines(rig.pipelineDir())
            .setHttpPort(0)
            .setRetention(retention)
            .setAmqpUrl(amqpUrl)
            .build();
    RidleyServer server = RidleyServer.start(config);
    return new ServerNode() {
      @Override
      URI uri() {
        return server.uri();
      }

      @Override
      long pid() {
        return ProcessHandle.current().pid();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  static String withApplicationName(String url) {
    return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new BenchException("no free port: " + e.getMessage(), e);
    }
  }

  private static void awaitHealthy(URI uri, Process p, Path log) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new BenchException("the server JVM exited with " + p.exitValue() + "; its log: " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(HttpRequest.newBuilder(uri.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException ignored) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    p.destroyForcibly();
    throw new BenchException("the server JVM did not become healthy within 60 s; its log: " + log);
  }
}
