package dev.ridley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.Http;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.TestServers;
import dev.ridley.server.config.ServerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** /health checks that the database takes writes, and shows the background loops. */
class HealthApiTest {

  @Test
  void health_is_503_while_the_database_is_read_only_and_200_after() throws Exception {
    ServerConfig config = TestServers.config();
    String path = config.dbUrl().replaceFirst("\\?.*$", "");
    String database = path.substring(path.lastIndexOf('/') + 1);
    try (RidleyServer server = RidleyServer.start(config)) {
      Http http = new Http(server.uri());
      JsonNode up = http.get("/health").json();
      assertThat(up.path("status").asText()).isEqualTo("UP");
      assertThat(up.path("database").asText()).isEqualTo("UP");
      assertThat(up.path("durability").asText()).isEqualTo("synchronous");
      assertThat(up.path("loops").path("sweeper").asText()).isEqualTo("UP");
      assertThat(up.path("loops").path("notifySender").asText()).isEqualTo("UP");
      assertThat(up.path("loops").path("notifyListener").asText()).isEqualTo("UP");
      assertThat(up.path("loops").path("stageGauges").asText()).isEqualTo("UP");

      readOnly(database, true);
      await("503 while read-only").atMost(Duration.ofSeconds(30)).until(() -> {
        Http.Answer a = http.get("/health");
        return a.status() == 503 && a.json().path("databaseProblem").asText().contains("read-only");
      });
      JsonNode down = http.get("/health").json();
      assertThat(down.path("status").asText()).isEqualTo("DOWN");
      assertThat(down.path("database").asText()).isEqualTo("DOWN");

      readOnly(database, false);
      await("200 once writable again").atMost(Duration.ofSeconds(30)).until(() -> {
        Http.Answer a = http.get("/health");
        return a.status() == 200 && a.json().path("status").asText().equals("UP");
      });
      assertThat(http.get("/health").json().path("databaseProblem").isMissingNode()).isTrue();
    }
  }

  /** Makes new sessions of the database read-only (or not) and ends the current ones. */
  static void readOnly(String database, boolean on) throws SQLException {
    try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("alter database " + database + (on ? " set default_transaction_read_only = on" : " reset default_transaction_read_only"));
      try (PreparedStatement ps = c.prepareStatement(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
        ps.setString(1, database);
        ps.executeQuery().close();
      }
    }
  }
}
