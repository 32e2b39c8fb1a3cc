package dev.ridley.examples.orders;

import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.StartRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Starts a backlog of work units in the {@code orders} pipeline, all at once. */
public final class OrdersBacklog {

  private OrdersBacklog() {}

  /**
   * Starts {@code count} units concurrently, each with customId {@code <batch>-<n>} so that
   * running it again with the same batch starts nothing twice; returns their process ids.
   */
  public static List<UUID> start(RidleyClient client, String batch, int count)
      throws InterruptedException {
    return start(client, OrderAgents.PIPELINE, batch, count);
  }

  /** As {@link #start(RidleyClient, String, int)}, in another pipeline of the scenario ({@code orders-amqp}). */
  public static List<UUID> start(RidleyClient client, String pipeline, String batch, int count)
      throws InterruptedException {
    try (var starters = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<UUID>> started = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        int n = i;
        started.add(starters.submit(() -> client.start(pipeline,
                StartRequest.of(Map.of("unit", n, "batch", batch)).withCustomId(batch + "-" + n))
            .process().id()));
      }
      List<UUID> ids = new ArrayList<>(count);
      for (Future<UUID> f : started) {
        ids.add(f.get());
      }
      return ids;
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not start the backlog: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
