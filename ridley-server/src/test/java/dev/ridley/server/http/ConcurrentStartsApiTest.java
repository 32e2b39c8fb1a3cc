package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.server.Http;
import dev.ridley.server.RunningServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Single starts from 64 concurrent clients, gathered into shared commits, each answered as if alone. */
class ConcurrentStartsApiTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  @Test
  void sixty_four_clients_racing_one_custom_id_make_one_process_one_201_and_the_rest_200() throws Exception {
    List<Http.Answer> answers = concurrently(64, i -> server.http().post("/api/v1/pipelines/failover/processes",
        "{\"customId\":\"race\",\"payload\":{\"n\":1}}"));

    assertThat(answers).extracting(Http.Answer::status).containsOnly(200, 201);
    assertThat(answers).filteredOn(a -> a.status() == 201).hasSize(1);
    assertThat(answers).extracting(a -> a.json().path("process").path("id").asText()).containsOnly(
        answers.getFirst().json().path("process").path("id").asText());
    assertThat(server.http().get("/api/v1/processes?customId=race").json().path("items")).hasSize(1);
  }

  @Test
  void sixty_four_clients_starting_different_processes_each_get_their_own_201() throws Exception {
    List<Http.Answer> answers = concurrently(64, i -> server.http().post("/api/v1/pipelines/failover/processes",
        "{\"customId\":\"own-" + i + "\",\"payload\":{\"n\":" + i + "}}"));

    assertThat(answers).extracting(Http.Answer::status).containsOnly(201);
    for (int i = 0; i < 64; i++) {
      assertThat(answers.get(i).json().path("process").path("customId").asText()).isEqualTo("own-" + i);
      assertThat(answers.get(i).json().path("process").path("payload").path("n").asInt()).isEqualTo(i);
    }
    assertThat(answers).extracting(a -> a.json().path("process").path("id").asText()).doesNotHaveDuplicates();
  }

  @Test
  void the_listener_holds_a_burst_of_a_thousand_new_connections_until_it_accepts_them() throws Exception {
    // For a listening socket, ss reports the accept queue's size as its Send-Q. The JDK's default
    // of 50 overflowed under bursts of starts: those clients saw their connection closed unanswered.
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.uri().getPort()).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes()).trim();
    assertThat(ss.waitFor()).as(out).isZero();

    String[] fields = out.lines().findFirst().orElseThrow().trim().split("\\s+");
    assertThat(fields[0]).isEqualTo("LISTEN");
    assertThat(Integer.parseInt(fields[2])).as(out).isEqualTo(HttpApi.ACCEPT_QUEUE).isGreaterThanOrEqualTo(1000);
  }

  interface Client {
    Http.Answer run(int i);
  }

  private static List<Http.Answer> concurrently(int n, Client client) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Http.Answer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int me = i;
        futures.add(pool.submit(() -> {
          go.await();
          return client.run(me);
        }));
      }
      go.countDown();
      List<Http.Answer> out = new ArrayList<>();
      for (Future<Http.Answer> f : futures) out.add(f.get());
      return out;
    }
  }
}
