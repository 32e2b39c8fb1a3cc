package dev.ridley.server.crash;

import dev.ridley.worker.RidleyWorker;
import java.net.URI;
import java.time.Duration;

/**
 * A worker JVM consuming one stage over RabbitMQ, each task taking a while, so that it holds
 * unacked deliveries when it is killed. Prints {@code WORKING} once it runs its first task.
 * Arguments: server URI, broker URI, stage, milliseconds per task.
 */
public final class AmqpWorkerMain {

  public static void main(String[] args) throws Exception {
    long millis = Long.parseLong(args[3]);
    boolean[] said = {false};
    RidleyWorker.builder(URI.create(args[0]))
        .workerId("doomed-" + ProcessHandle.current().pid())
        .concurrency(16)
        .amqp(URI.create(args[1]))
        .handle(args[2], task -> {
          synchronized (said) {
            if (!said[0]) {
              System.out.println("WORKING");
              System.out.flush();
              said[0] = true;
            }
          }
          Thread.sleep(millis);
          return task.input();
        })
        .build()
        .start();
    Thread.currentThread().join();
  }

  private AmqpWorkerMain() {}
}
