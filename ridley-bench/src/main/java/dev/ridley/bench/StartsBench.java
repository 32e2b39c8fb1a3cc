package dev.ridley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.StartRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How fast processes can be started, with nothing else running (nobody works them): first single
 * starts from {@code clients} concurrent clients, each starting one process at a time in a closed
 * loop (the server groups concurrent starts into shared commits), then bulk starts ({@code POST
 * .../processes/batch}) of {@code batch} processes from {@code batchClients} clients. Over HTTP
 * to a server in its own JVM by default; with {@code --workers inproc}, through the engine's API
 * in this JVM. Every start must answer CREATED; the database must hold every process counted.
 */
final class StartsBench {

  private StartsBench() {}

  interface Starter {
    /** Starts these payloads; answers how many were created. */
    int start(List<JsonNode> payloads) throws Exception;
  }

  static Map<String, Object> run(String dbUrl, Setup.Options o, int clients, int seconds, int batch, int batchClients)
      throws Exception {
    return run(dbUrl, o, clients, seconds, batch, batchClients, true);
  }

  /**
   * @param grouped whether the engine groups concurrent single starts; only in-process (the
   *     server always does): off measures one transaction per start, the rate before grouping
   */
  static Map<String, Object> run(String dbUrl, Setup.Options o, int clients, int seconds, int batch, int batchClients,
      boolean grouped) throws Exception {
    try (Setup setup = Setup.open(dbUrl, o, null, grouped)) {
      Starter single = starter(setup, false);
      Starter bulk = starter(setup, true);
      // A short unmeasured round of each first: connections opened, classes loaded.
      phase(single, clients, 1, 1);
      phase(bulk, batchClients, batch, 1);
      setup.rig.empty();

      long singles = phase(single, clients, 1, seconds);
      long bulks = phase(bulk, batchClients, batch, seconds);
      long inDb = setup.rig.count("select count(*) from process");
      if (inDb != singles + bulks) {
        throw new BenchException("database check failed: " + inDb + " processes, " + (singles + bulks) + " started");
      }
      Map<String, Object> m = PipelineBench.header("starts");
      m.put("mode", o.mode().name().toLowerCase());
      m.put("clients", clients);
      m.put("grouped", grouped);
      m.put("seconds", seconds);
      m.put("single_starts", singles);
      m.put("single_starts_per_s", (double) singles / seconds);
      m.put("batch", batch);
      m.put("batch_clients", batchClients);
      m.put("batch_starts", bulks);
      m.put("batch_starts_per_s", (double) bulks / seconds);
      return m;
    }
  }

  /** Runs {@code clients} closed loops of starts of {@code size} for {@code seconds}; the starts made. */
  private static long phase(Starter starter, int clients, int size, int seconds) throws Exception {
    AtomicBoolean go = new AtomicBoolean(true);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> loops = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        loops.add(pool.submit(() -> {
          long made = 0;
          for (int k = 0; go.get(); k++) {
            List<JsonNode> payloads = new ArrayList<>(size);
            for (int i = 0; i < size; i++) payloads.add(Setup.payload(client * 1_000_000 + k * size + i));
            int created = starter.start(payloads);
            if (created != size) throw new BenchException("a start did not answer CREATED");
            made += created;
          }
          return made;
        }));
      }
      Thread.sleep(seconds * 1000L);
      go.set(false);
      long made = 0;
      for (Future<Long> f : loops) made += f.get();
      return made;
    }
  }

  private static Starter starter(Setup setup, boolean bulk) {
    if (setup.server == null) {
      var processes = setup.rig.engine().processes();
      return payloads -> {
        if (!bulk) {
          processes.start(Rig.LATENCY, StartRequest.of(payloads.getFirst()));
          return 1;
        }
        List<StartRequest> requests = payloads.stream().map(StartRequest::of).toList();
        return (int) processes.startAll(Rig.LATENCY, requests).stream().filter(a -> a.applied()).count();
      };
    }
    HttpProtocol http = (HttpProtocol) setup.protocol;
    return payloads -> {
      if (!bulk) {
        http.start(Rig.LATENCY, payloads.getFirst());
        return 1;
      }
      int created = 0;
      for (JsonNode item : http.startAll(Rig.LATENCY, payloads).path("results")) {
        if (item.path("status").asInt() == 201) created++;
      }
      return created;
    };
  }
}
