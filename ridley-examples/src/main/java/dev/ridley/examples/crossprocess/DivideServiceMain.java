package dev.ridley.examples.crossprocess;

import com.sun.net.httpserver.HttpServer;
import dev.ridley.worker.trace.EliotLog;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link DivideService}: {@code DivideServiceMain [--port N] [--log FILE]}. Port 0 (the
 * default is 8089) takes any free one; without --log, Eliot messages go to stdout. Prints {@code
 * listening on http://127.0.0.1:PORT} to stderr once it serves.
 */
public final class DivideServiceMain {

  private DivideServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 8089;
    String file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--log" -> file = args[++i];
        default -> {
          System.err.println("usage: DivideServiceMain [--port N] [--log FILE]; unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    EliotLog log = file == null ? EliotLog.toStdout() : EliotLog.toFile(Path.of(file));
    HttpServer server = DivideService.start(port, log);
    System.err.println("listening on http://127.0.0.1:" + server.getAddress().getPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      log.close();
      stopped.countDown();
    }, "divide-service-shutdown"));
    stopped.await();
  }
}
