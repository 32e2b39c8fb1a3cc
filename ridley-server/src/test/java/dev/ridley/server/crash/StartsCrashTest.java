package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.cli.RidleyCli;
import dev.ridley.worker.RidleyClient;
import dev.ridley.worker.StartAnswer;
import dev.ridley.worker.StartRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped single starts and bulk starts, the server killed with SIGKILL while they pour in: every
 * start that was answered is there after the crash, with its task and journal, and retrying every
 * start with its customId afterwards makes exactly one process each.
 */
class StartsCrashTest {

  @Test
  void every_answered_start_single_or_bulk_survives_a_sigkill_and_retries_make_one_process_each(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), """
        name: flow
        stages:
          first: {}
        """);
    String dbUrl = TestDatabase.freshUrl();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("RIDLEY_DB_URL", dbUrl);
    env.put("RIDLEY_DB_USER", "postgres");
    env.put("RIDLEY_HTTP_PORT", Integer.toString(port));
    env.put("RIDLEY_PIPELINES", dir.toString());
    URI uri = URI.create("http://127.0.0.1:" + port);

    Set<String> answered = ConcurrentHashMap.newKeySet();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    ChildJvm first = ChildJvm.start("starts-1", RidleyCli.class, env, "server");
    try (HikariDataSource db = TestDatabase.pool(dbUrl);
        RidleyClient client = RidleyClient.builder(uri).requestTimeout(Duration.ofSeconds(10)).build()) {
      first.awaitLine("Ridley listening", Duration.ofSeconds(60));
      AtomicBoolean go = new AtomicBoolean(true);
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int c = 0; c < 32; c++) {
          int me = c;
          clients.submit(() -> {
            for (int k = 0; go.get(); k++) {
              String id = "single-" + me + "-" + k;
              sent.add(id);
              try {
                client.start("flow", StartRequest.of(Map.of("k", k)).withCustomId(id));
                answered.add(id);
              } catch (RuntimeException gone) {
                return; // the server died under this request
              }
            }
          });
        }
        for (int c = 0; c < 2; c++) {
          int me = c;
          clients.submit(() -> {
            for (int k = 0; go.get(); k++) {
              List<StartRequest> batch = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                String id = "bulk-" + me + "-" + k + "-" + i;
                sent.add(id);
                batch.add(StartRequest.of(Map.of("i", i)).withCustomId(id));
              }
              try {
                List<StartAnswer> answers = client.startAll("flow", batch);
                for (int i = 0; i < answers.size(); i++) {
                  if (answers.get(i).status() == 201) answered.add(batch.get(i).customId().orElseThrow());
                }
              } catch (RuntimeException gone) {
                return;
              }
            }
          });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= 3000);
        first.kill();
        go.set(false);
      }
      first.saveOutput(Path.of("target/crash/starts-1.log"));

      // Every answered start is kept, whole: its process, its first task and its journal.
      Set<String> kept = ConcurrentHashMap.newKeySet();
      try (var c = db.getConnection(); var s = c.createStatement();
          var rs = s.executeQuery("select p.custom_id from process p join task t on t.process_id = p.id"
              + " join journal_event j on j.process_id = p.id and j.type = 'process.started'")) {
        while (rs.next()) kept.add(rs.getString(1));
      }
      assertThat(answered).hasSizeGreaterThanOrEqualTo(3000);
      assertThat(kept).containsAll(answered);
      assertThat(sent).containsAll(kept);

      try (ChildJvm second = ChildJvm.start("starts-2", RidleyCli.class, env, "server")) {
        second.awaitLine("Ridley listening", Duration.ofSeconds(60));
        // A client that lost its answers retries every start with its customId.
        for (String id : sent) {
          Map<String, Object> payload = id.startsWith("single-")
              ? Map.of("k", Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)))
              : Map.of("i", Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)));
          var r = client.start("flow", StartRequest.of(payload).withCustomId(id));
          assertThat(r.result().name()).as(id).isIn("CREATED", "ALREADY_EXISTS");
        }
        second.saveOutput(Path.of("target/crash/starts-2.log"));
      }
      assertThat(ServerCrashTest.count(db, "true")).isEqualTo(sent.size());
      assertThat(ServerCrashTest.scalar(db, "select count(distinct custom_id) from process")).isEqualTo(sent.size());
      assertThat(ServerCrashTest.scalar(db, "select count(*) from task")).isEqualTo(sent.size());
    } finally {
      first.close();
    }
  }
}
