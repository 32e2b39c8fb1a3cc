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
    assertThatThrownBy(() -> dev.ridley.server.db.Database.open(
            ServerConfig.newBuilder().setDbUrl("jdbc:mysql://db/ridley").build()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_DB_URL=jdbc:mysql://db/ridley");
  }

  @Test
  void every_default_is_its_named_constant() {
    ServerConfig c = ServerConfig.newBuilder().build();
    assertThat(c.dbUrl()).isNull();
    assertThat(c.dbUser()).isNull();
    assertThat(c.dbPassword()).isNull();
    assertThat(c.dataDir()).isEqualTo(ServerConfig.DEFAULT_DATA_DIR).isEqualTo(Path.of("./ridley-data"));
    assertThat(c.httpPort()).isEqualTo(ServerConfig.DEFAULT_HTTP_PORT).isEqualTo(8088);
    assertThat(c.bind()).isEqualTo(ServerConfig.DEFAULT_BIND).isEqualTo("127.0.0.1");
    assertThat(c.pipelines()).isEqualTo(ServerConfig.DEFAULT_PIPELINES).isEqualTo(Path.of("./pipelines"));
    assertThat(c.maxPayloadBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_PAYLOAD_BYTES).isEqualTo(1_048_576);
    assertThat(c.dbPoolSize()).isEqualTo(ServerConfig.DEFAULT_DB_POOL_SIZE).isEqualTo(16);
    assertThat(c.sweepInterval()).isEqualTo(ServerConfig.DEFAULT_SWEEP_INTERVAL).isEqualTo(Duration.ofMillis(500));
    assertThat(c.eliotLog()).isNull();
    assertThat(c).isEqualTo(ServerConfig.getDefaultInstance()).isEqualTo(ServerConfig.fromEnvironment(Map.of()));
  }

  @Test
  void blank_variables_and_blank_settings_take_the_default() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of(
        "RIDLEY_HTTP_PORT", " ", "RIDLEY_BIND", "", "RIDLEY_DB_URL", "  ", "RIDLEY_AMQP_URL", ""));
    assertThat(c).isEqualTo(ServerConfig.getDefaultInstance());
    assertThat(ServerConfig.newBuilder().setBind(" ").setEliotLog("").build())
        .isEqualTo(ServerConfig.getDefaultInstance());
  }

  @Test
  void every_variable_is_read() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.ofEntries(
        Map.entry("RIDLEY_DB_URL", "jdbc:postgresql://db:5432/ridley"),
        Map.entry("RIDLEY_DB_USER", "ridley"),
        Map.entry("RIDLEY_DB_PASSWORD", "secret"),
        Map.entry("RIDLEY_DATA_DIR", "/var/lib/ridley"),
        Map.entry("RIDLEY_HTTP_PORT", "9000"),
        Map.entry("RIDLEY_BIND", "0.0.0.0"),
        Map.entry("RIDLEY_PIPELINES", "/etc/ridley/pipelines"),
        Map.entry("RIDLEY_MAX_PAYLOAD_BYTES", "2048"),
        Map.entry("RIDLEY_DB_POOL_SIZE", "4"),
        Map.entry("RIDLEY_SWEEP_INTERVAL_MS", "250"),
        Map.entry("RIDLEY_ELIOT_LOG", "-"),
        Map.entry("RIDLEY_RETENTION", "7d"),
        Map.entry("RIDLEY_AUTH", "none"),
        Map.entry("RIDLEY_OIDC_AUDIENCE", "ridley"),
        Map.entry("RIDLEY_OIDC_USER_CLAIM", "email"),
        Map.entry("RIDLEY_OIDC_ROLES_CLAIM", "groups"),
        Map.entry("RIDLEY_PUBLIC_URL", "https://ridley.example.com"),
        Map.entry("RIDLEY_CORS_ORIGINS", "https://shop.example.com, http://localhost:3000")));
    assertThat(c).isEqualTo(ServerConfig.newBuilder()
        .setDbUrl("jdbc:postgresql://db:5432/ridley")
        .setDbUser("ridley")
        .setDbPassword("secret")
        .setDataDir(Path.of("/var/lib/ridley"))
        .setHttpPort(9000)
        .setBind("0.0.0.0")
        .setPipelines(Path.of("/etc/ridley/pipelines"))
        .setMaxPayloadBytes(2048)
        .setDbPoolSize(4)
        .setSweepInterval(Duration.ofMillis(250))
        .setEliotLog("-")
        .setRetention(Duration.ofDays(7))
        .setAuthNone(true)
        .setOidcAudience("ridley")
        .setOidcUserClaim("email")
        .setOidcRolesClaim("groups")
        .setPublicUrl("https://ridley.example.com")
        .setCorsOrigins(java.util.List.of("https://shop.example.com", "http://localhost:3000"))
        .build());
    assertThat(c.toString()).doesNotContain("secret");
  }

  @Test
  void each_wrong_variable_is_named_in_its_message() {
    Map<String, String> wrong = Map.of(
        "RIDLEY_HTTP_PORT", "0",
        "RIDLEY_MAX_PAYLOAD_BYTES", "1MB",
        "RIDLEY_DB_POOL_SIZE", "-4",
        "RIDLEY_SWEEP_INTERVAL_MS", "0.5",
        "RIDLEY_RETENTION", "7 days",
        "RIDLEY_DB_URL", "postgres://db/ridley");
    wrong.forEach((name, value) ->
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(name, value)))
            .as(name)
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(name + "=" + value));
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_DB_POOL_SIZE", "99999999999")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_DB_POOL_SIZE");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_DB_USER", "ridley")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_DB_USER").hasMessageContaining("RIDLEY_DB_URL");
  }

  @Test
  void a_wrong_setting_names_the_setting_its_variable_and_the_fix() {
    assertThatThrownBy(() -> ServerConfig.newBuilder().setHttpPort(70000).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("httpPort").hasMessageContaining("RIDLEY_HTTP_PORT").hasMessageContaining("1-65535");
    assertThatThrownBy(() -> ServerConfig.newBuilder().setMaxPayloadBytes(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxPayloadBytes").hasMessageContaining("RIDLEY_MAX_PAYLOAD_BYTES");
    assertThatThrownBy(() -> ServerConfig.newBuilder().setDbPoolSize(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dbPoolSize").hasMessageContaining("RIDLEY_DB_POOL_SIZE");
    assertThatThrownBy(() -> ServerConfig.newBuilder().setSweepInterval(Duration.ZERO).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sweepInterval").hasMessageContaining("RIDLEY_SWEEP_INTERVAL_MS");
    assertThatThrownBy(() -> ServerConfig.newBuilder().setDbUrl("jdbc:mysql://db/ridley").build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_DB_URL=jdbc:mysql://db/ridley").hasMessageContaining("jdbc:postgresql://");
    assertThat(ServerConfig.newBuilder().setHttpPort(0).build().httpPort()).isZero();
  }

  @Test
  void the_amqp_url_is_read_and_a_malformed_one_is_refused_without_echoing_its_password() {
    assertThat(ServerConfig.fromEnvironment(Map.of("RIDLEY_AMQP_URL", "amqp://guest:guest@rabbit:5672/%2f")).amqpUrl())
        .isEqualTo("amqp://guest:guest@rabbit:5672/%2f");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_AMQP_URL", "http://guest:guest@rabbit:5672")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_AMQP_URL")
        .hasMessageContaining("amqp://")
        .hasMessageNotContaining("guest:guest");
    assertThat(ServerConfig.newBuilder().setAmqpUrl("amqp://u:secret@h/%2f").build().toString())
        .doesNotContain("secret");
  }

  @Test
  void a_server_on_a_non_loopback_address_without_authentication_refuses_to_start_unless_told_so() {
    assertThatThrownBy(() -> ServerConfig.newBuilder().setBind("0.0.0.0").build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_BIND=0.0.0.0").hasMessageContaining("RIDLEY_AUTH_FILE")
        .hasMessageContaining("RIDLEY_AUTH=none");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_BIND", "10.1.2.3")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_AUTH=none");
    assertThat(ServerConfig.fromEnvironment(Map.of("RIDLEY_BIND", "0.0.0.0", "RIDLEY_AUTH", "none")).security().authNone())
        .isTrue();
    assertThat(ServerConfig.newBuilder().setBind("127.0.0.1").build().security().enabled()).isFalse();
    assertThat(ServerConfig.newBuilder().setBind("localhost").build().bind()).isEqualTo("localhost");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_AUTH", "off")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_AUTH=off");
  }

  @Test
  void to_builder_round_trips() {
    ServerConfig c = ServerConfig.newBuilder()
        .setDbUrl("jdbc:postgresql://db:5432/ridley")
        .setDbUser("ridley")
        .setDbPassword("secret")
        .setDataDir(Path.of("/data"))
        .setHttpPort(0)
        .setBind("0.0.0.0")
        .setPipelines(Path.of("/pipelines"))
        .setMaxPayloadBytes(10)
        .setDbPoolSize(2)
        .setSweepInterval(Duration.ofSeconds(2))
        .setEliotLog("eliot.log")
        .setRetention(Duration.ofHours(12))
        .setAuthNone(true)
        .setPublicUrl("https://ridley.example.com")
        .build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(ServerConfig.newBuilder(c).build()).isEqualTo(c);
    assertThat(ServerConfig.getDefaultInstance().toBuilder().build()).isEqualTo(ServerConfig.getDefaultInstance());

    ServerConfig changed = c.toBuilder().setHttpPort(9000).build();
    assertThat(changed.httpPort()).isEqualTo(9000);
    assertThat(changed.toBuilder().setHttpPort(0).build()).isEqualTo(c);
    assertThat(c.httpPort()).as("the original is unchanged").isZero();

    ServerConfig unset = c.toBuilder().setDbUrl(null).setDbUser(null).setDbPassword(null).setEliotLog(null).build();
    assertThat(unset.dbUrl()).isNull();
    assertThat(unset.eliotLog()).isNull();
  }

  @Test
  void commits_are_synchronous_unless_relaxed_explicitly() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).dbSynchronousCommit()).isTrue();
    assertThat(ServerConfig.fromEnvironment(Map.of("RIDLEY_DB_SYNCHRONOUS_COMMIT", "off")).dbSynchronousCommit()).isFalse();
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_DB_SYNCHRONOUS_COMMIT", "sometimes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RIDLEY_DB_SYNCHRONOUS_COMMIT=sometimes");
  }

  @Test
  void ended_processes_are_kept_forever_unless_a_retention_is_set() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).retention()).isNull();
    assertThat(ServerConfig.fromEnvironment(Map.of("RIDLEY_RETENTION", "30s")).retention())
        .isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_RETENTION", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_RETENTION").hasMessageContaining("at least 1s");
    assertThat(ServerConfig.fromEnvironment(Map.of("RIDLEY_RETENTION", "forever")).retention()).isNull();
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RIDLEY_RETENTION", "a week")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RIDLEY_RETENTION=a week").hasMessageContaining("e.g. 7d");
  }
}
