package dev.ridley.server.crash;

import dev.ridley.worker.RidleyWorker;
import java.net.URI;
import java.time.Duration;

/**
 * A worker JVM that claims tasks of one stage and works on them "forever", heartbeating, until
 * it is killed. Prints {@code CLAIMED <processId>} when it holds a task.
 */
public final class HangingWorkerMain {

  public static void main(String[] args) throws Exception {
    URI server = URI.create(args[0]);
    String stage = args[1];
    RidleyWorker worker =
        RidleyWorker.builder(server)
            .workerId("doomed-" + ProcessHandle.current().pid())
            .pollWait(Duration.ofSeconds(1))
            .heartbeatInterval(Duration.ofMillis(300))
            .handle(stage, task -> {
              System.out.println("CLAIMED " + task.processId());
              System.out.flush();
              Thread.sleep(Long.MAX_VALUE);
              return null;
            })
            .build()
            .start();
    System.out.println("WORKER STARTED " + worker.workerId());
    Thread.currentThread().join();
  }

  private HangingWorkerMain() {}
}
