package dev.ridley.server.cli;

import dev.ridley.examples.DivideWorkers;
import dev.ridley.examples.failover.FailoverWorkers;
import dev.ridley.examples.failover.OutputListener;
import dev.ridley.examples.orders.OrderAgents;
import dev.ridley.examples.orders.OrdersBacklog;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.RidleyWorker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's reference scenarios against a running server: the workers of each example pipeline
 * that is loaded, the failover scenario's three TCP outputs, and a console to take outputs down
 * and up and to start more orders.
 */
final class DemoScenarios implements AutoCloseable {

  /** Order agents: together they could take 75 units, the stage lets them have 50. */
  static final int AGENTS = 3;
  static final int AGENT_CONCURRENCY = 25;
  static final int BACKLOG = 100;

  private final URI server;
  private final PrintStream out;
  private final List<RidleyWorker> workers = new ArrayList<>();
  private final List<OutputListener> outputs = new ArrayList<>();
  private final RidleyClient client;
  private final DemoKeys keys;
  private int batches;
  private boolean amqpOrders;
  private boolean httpOrders;

  private DemoScenarios(URI server, PrintStream out, DemoKeys keys) {
    this.server = server;
    this.out = out;
    this.keys = keys;
    RidleyClient.Builder c = RidleyClient.builder(server);
    if (keys != null) c.apiKey(keys.client());
    this.client = c.build();
  }

  /** Starts the workers (and outputs) of the example pipelines among {@code pipelines}. */
  static DemoScenarios start(URI server, Set<String> pipelines, PrintStream out) {
    return start(server, pipelines, out, null);
  }

  /**
   * As {@link #start(URI, Set, PrintStream)}, for a server with API keys: the workers use the
   * worker key, the orders are started with the client key.
   */
  static DemoScenarios start(URI server, Set<String> pipelines, PrintStream out, DemoKeys keys) {
    return start(server, pipelines, null, out, keys);
  }

  /**
   * As above; with a broker, the order agents also consume the {@code orders-amqp} pipeline's
   * units from RabbitMQ.
   */
  static DemoScenarios start(URI server, Set<String> pipelines, URI amqp, PrintStream out, DemoKeys keys) {
    DemoScenarios d = new DemoScenarios(server, out, keys);
    d.amqpOrders = amqp != null && pipelines.contains(OrderAgents.AMQP_PIPELINE);
    d.httpOrders = pipelines.contains(OrderAgents.PIPELINE);
    if (pipelines.contains("divide")) {
      // Its deliberately hung handlers never finish: waiting for them at Ctrl+C is pointless.
      d.workers.add(DivideWorkers.register(d.worker().workerId("demo-divide")
          .shutdownTimeout(Duration.ofSeconds(2))).build().start());
    }
    if (pipelines.contains(OrderAgents.PIPELINE) || d.amqpOrders) {
      for (int i = 1; i <= AGENTS; i++) {
        RidleyWorker.Builder agent = d.worker().workerId("demo-agent-" + i).concurrency(AGENT_CONCURRENCY);
        // Over RabbitMQ for orders-amqp, over HTTP for orders: the worker asks the server which is which.
        if (d.amqpOrders) agent.amqp(amqp);
        d.workers.add(OrderAgents.DEMO.register(agent).build().start());
      }
    }
    if (pipelines.contains(FailoverWorkers.PIPELINE)) {
      d.startFailover();
    }
    return d;
  }

  /** A worker builder for this server, with the demo's worker key when it has keys. */
  private RidleyWorker.Builder worker() {
    RidleyWorker.Builder b = RidleyWorker.builder(server);
    if (keys != null) b.apiKey(keys.worker());
    return b;
  }

  private void startFailover() {
    try {
      for (int n = 1; n <= FailoverWorkers.DEMO_PORTS.size(); n++) {
        String name = FailoverWorkers.stage(n);
        outputs.add(new OutputListener(name, FailoverWorkers.DEMO_PORTS.get(n - 1),
            line -> out.println(name + " received " + line)).up());
      }
    } catch (UncheckedIOException e) {
      outputs.forEach(OutputListener::close);
      outputs.clear();
      out.println("failover scenario not started: " + e.getMessage());
      return;
    }
    workers.add(FailoverWorkers.register(worker().workerId("demo-sender")
        .pollWait(Duration.ofSeconds(5)), FailoverWorkers.DEMO_PORTS).build().start());
  }

  /** Starts a backlog of {@value #BACKLOG} orders at once, in the background. */
  void startOrders() {
    String batch = "demo-" + System.currentTimeMillis() + "-" + (++batches);
    Thread.ofVirtual().start(() -> {
      try {
        if (httpOrders) {
          OrdersBacklog.start(client, batch, BACKLOG);
          out.println("started " + BACKLOG + " orders, batch " + batch);
        }
        if (amqpOrders) {
          OrdersBacklog.start(client, OrderAgents.AMQP_PIPELINE, batch, BACKLOG);
          out.println("started " + BACKLOG + " orders over RabbitMQ (orders-amqp), batch " + batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        out.println("could not start orders: " + e.getMessage());
      }
    });
  }

  /** Whether the orders scenario over RabbitMQ runs too. */
  boolean hasAmqpOrders() {
    return amqpOrders;
  }


  boolean hasOrders() {
    return workers.stream().anyMatch(w -> w.stages().contains(OrderAgents.STAGE));
  }

  boolean hasFailover() {
    return !outputs.isEmpty();
  }

  /** Reads commands from {@code in} until it ends: {@code down N}, {@code up N}, {@code orders}. */
  void console(InputStream in) {
    Thread.ofPlatform().daemon().name("ridley-demo-console").start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          out.println(command(line.trim()));
        }
      } catch (IOException e) {
        // no console (e.g. started in the background): the scenarios still run
      }
    });
  }

  String command(String line) {
    String[] words = line.split("\\s+");
    if (words[0].equals("orders") && hasOrders()) {
      startOrders();
      return "starting " + BACKLOG + " orders...";
    }
    if ((words[0].equals("down") || words[0].equals("up")) && words.length == 2 && hasFailover()) {
      int n;
      try {
        n = Integer.parseInt(words[1]);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > outputs.size()) return "outputs are 1 to " + outputs.size();
      OutputListener o = outputs.get(n - 1);
      if (words[0].equals("down")) o.down();
      else o.up();
      return o.name() + " on port " + o.port() + " is " + (o.isUp() ? "up" : "down");
    }
    return line.isEmpty() ? "" : "commands: orders | down <1-3> | up <1-3>";
  }

  @Override
  public void close() {
    workers.forEach(RidleyWorker::close);
    outputs.forEach(OutputListener::close);
    client.close();
  }
}
