package dev.ridley.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connection Ridley holds is killed ({@code pg_terminate_backend}) again and again while
 * clients start processes and workers report. Afterwards every answer a client got is compared with
 * the database: nothing answered as done is missing, nothing written was answered as refused, and
 * a start answered with an error exists only if that answer said its outcome was unknown.
 */
class KilledBackendsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration LOAD = Duration.ofSeconds(20);

  record Answer(String key, int status, String detail) {}

  @Test
  void answers_given_while_connections_are_killed_agree_with_the_database(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), """
        name: flow
        stages:
          first:  {timeouts: {pollToEnd: 3s}, retry: {attempts: 20, backoff: 100ms}}
          second: {timeouts: {pollToEnd: 3s}, retry: {attempts: 20, backoff: 100ms}}
        routes:
          - first.ok -> second
        """);
    String dbUrl = TestDatabase.freshUrl();
    List<Answer> starts = new CopyOnWriteArrayList<>();
    List<Answer> reports = new CopyOnWriteArrayList<>();
    Map<String, String> sentOutput = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger kills = new AtomicInteger();
    try (RidleyServer server = RidleyServer.start(TestServers.config().toBuilder().setDbUrl(dbUrl).setDbUser("postgres")
            .setPipelines(dir).setSweepInterval(Duration.ofMillis(200)).build());
        HikariDataSource db = TestDatabase.pool(dbUrl)) {
      Http http = new Http(server.uri());
      List<Thread> threads = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      for (int c = 0; c < 3; c++) {
        threads.add(Thread.ofVirtual().start(() -> {
          while (running.get()) {
            String key = "c-" + next.getAndIncrement();
            try {
              Http.Answer a = http.post("/api/v1/pipelines/flow/processes",
                  "{\"customId\":\"" + key + "\",\"payload\":{\"k\":\"" + key + "\"}}");
              starts.add(new Answer(key, a.status(), detail(a)));
            } catch (RuntimeException e) {
              starts.add(new Answer(key, -1, String.valueOf(e)));
            }
          }
        }));
      }
      for (int w = 0; w < 3; w++) {
        String worker = "w-" + w;
        threads.add(Thread.ofVirtual().start(() -> work(http, worker, running, reports, sentOutput)));
      }
      Thread killer = Thread.ofVirtual().start(() -> {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "")) {
          while (running.get()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()"
                    + " and pid <> pg_backend_pid()")) {
              while (rs.next()) if (rs.getBoolean(1)) kills.incrementAndGet();
            }
            Thread.sleep(150);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(LOAD.toMillis());
      running.set(false);
      killer.join();
      for (Thread t : threads) t.join(Duration.ofSeconds(30));

      assertThat(kills.get()).as("connections killed").isGreaterThan(20);
      assertThat(starts.stream().filter(a -> a.status() == 201)).as("starts acknowledged").hasSizeGreaterThan(50);
      assertThat(reports.stream().filter(a -> a.status() == 200)).as("reports acknowledged").hasSizeGreaterThan(50);

      Map<String, String> byCustomId = new HashMap<>();
      try (Connection c = db.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select custom_id, id from process")) {
        while (rs.next()) byCustomId.put(rs.getString(1), rs.getString(2));
      }
      List<String> wrong = new ArrayList<>();
      for (Answer a : starts) {
        boolean exists = byCustomId.containsKey(a.key());
        if ((a.status() == 201 || a.status() == 200) && !exists) wrong.add("start acknowledged but missing: " + a);
        if (a.status() != 201 && a.status() != 200 && exists
            && !(a.status() == 503 && a.detail().contains("outcome is unknown"))) {
          wrong.add("start answered as failed but it exists: " + a);
        }
      }
      Map<String, String[]> tasks = new HashMap<>();
      try (Connection c = db.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, status, outcome, output::text from task")) {
        while (rs.next()) tasks.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
      }
      for (Answer a : reports) {
        String[] t = tasks.get(a.key());
        boolean applied = t != null && t[0].equals("SUCCEEDED") && "ok".equals(t[1])
            && JSON.readTree(t[2]).equals(JSON.readTree(sentOutput.get(a.key())));
        if (a.status() == 200 && !applied) wrong.add("report acknowledged but not applied: " + a + " " + List.of(t == null ? new String[0] : t));
        if (a.status() == 409 && applied) wrong.add("report refused (409) but applied: " + a);
      }
      assertThat(wrong).as("answers that disagree with the database").isEmpty();

      // the accounting: every process started once, ended at most once, no attempt ended twice
      Accounting.assertEveryProcessAccountedFor(sql -> scalar(db, sql), false);
    }
  }

  /** A worker on raw HTTP: polls, completes with its input, and sends a report again on a 503 or an error. */
  static void work(Http http, String worker, AtomicBoolean running, List<Answer> reports, Map<String, String> sent) {
    while (running.get()) {
      JsonNode tasks;
      try {
        Http.Answer poll = http.post("/api/v1/tasks/poll",
            "{\"worker\":\"" + worker + "\",\"stages\":[\"first\",\"second\"],\"max\":10,\"waitMs\":200}");
        if (poll.status() != 200) continue;
        tasks = poll.json().path("tasks");
      } catch (RuntimeException e) {
        continue;
      }
      for (JsonNode t : tasks) {
        String id = t.path("id").asText();
        String output = t.path("payload").toString();
        sent.put(id, output);
        for (int tries = 0; tries < 20; tries++) {
          Answer a;
          try {
            Http.Answer r = http.post("/api/v1/tasks/" + id + "/complete", "{\"output\":" + output + "}");
            a = new Answer(id, r.status(), detail(r));
          } catch (RuntimeException e) {
            a = new Answer(id, -1, String.valueOf(e));
          }
          reports.add(a);
          if (a.status() == 200 || a.status() == 409 || a.status() == 404) break;
        }
      }
    }
  }

  static String detail(Http.Answer a) {
    try {
      return a.json().path("detail").asText("");
    } catch (RuntimeException e) {
      return a.text();
    }
  }

  static long scalar(HikariDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
