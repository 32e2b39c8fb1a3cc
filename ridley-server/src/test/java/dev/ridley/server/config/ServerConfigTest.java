package dev.ridley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaults_are_the_documented_ones() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of());
    assertThat(c.dbUrl()).isNull();
    assertThat(c.dataDir()).isEqualTo(Path.of("./ridley-data"));
    assertThat(c.httpPort()).isEqualTo(8088);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.pipelines()).isEqualTo(Path.of("./pipelines"));
    assertThat(c.maxPayloadBytes()).isEqualTo(1024 * 1024);
    assertThat(c.sweepInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.eliotLog()).isNull();
  }

  @Test
  void variables_override_the_defaults() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of(
        "RIDLEY_DB_URL", "jdbc:postgresql://db:5432/ridley", "RIDLEY_HTTP_PORT", "9000",
        "RIDLEY_MAX_PAYLOAD_BYTES", "2048", "RIDLEY_SWEEP_INTERVAL_MS", "100"));
    assertThat(c.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/ridley");
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.maxPayloadBytes()).isEqualTo(2048);
    assertThat(c.sweepInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void a_wrong_value_fails_with_the_variable_name_and_the_fix() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_HTTP_PORT=eighty").hasMessageContaining("default 8088");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("1-65535");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_MAX_PAYLOAD_BYTES", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_MAX_PAYLOAD_BYTES");
  }

  @Test
  void a_database_url_that_is_not_postgresql_names_the_variable() {
    ServerConfig c = ServerConfig.defaults().withDb("jdbc:mysql://db/ridley", null, null);
    assertThatThrownBy(() -> dev.ridley.server.db.Database.open(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_DB_URL=jdbc:mysql://db/ridley");
  }
}
