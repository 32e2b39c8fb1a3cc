package dev.ridley.examples;

import dev.ridley.worker.RidleyWorker;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the divide pipeline's workers against {@code RIDLEY_URL} (default {@code
 * http://127.0.0.1:8088}), with the key in {@code RIDLEY_API_KEY} when the server asks for one,
 * until the process is stopped; stopping closes the worker gracefully.
 */
public final class DivideWorkerMain {

  private DivideWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    String url = System.getenv().getOrDefault("RIDLEY_URL", "http://127.0.0.1:8088");
    RidleyWorker worker;
    try {
      worker = DivideWorkers.start(URI.create(url), System.getenv("RIDLEY_API_KEY"));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "RIDLEY_URL must be the server's http(s) URL, e.g. "
              + "http://127.0.0.1:8088; it was '"
              + url
              + "': "
              + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "divide-workers-shutdown"));
    // The worker's threads are virtual, hence daemons: main must stay alive for them.
    stopped.await();
  }
}
