package dev.ridley.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ridley.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL asks every connection for its superuser's password, which only Ridley's
 * user can read, and nothing under the data directory is open to other local users.
 */
class EmbeddedDatabaseAccessTest {

  /** PostgreSQL's psql: Debian's versioned one, else the one on the PATH. */
  static final Path PSQL = Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/psql"))
      ? Path.of("/usr/lib/postgresql/15/bin/psql") : Path.of("/usr/bin/psql");

  @Test
  void another_local_user_cannot_connect_and_the_data_directory_is_private(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("ridley-data");
    ServerConfig config = ServerConfig.newBuilder().setDataDir(data).build();
    try (Database db = Database.open(config, null)) {
      String url = db.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).getJdbcUrl();
      int port = Integer.parseInt(url.replaceAll(".*://[^:]+:(\\d+)/.*", "$1"));
      try (Connection c = db.dataSource().getConnection()) {
        assertThat(c.isValid(2)).isTrue();
      }

      // Without the password, as the superuser, over TCP: refused, even from this user.
      Properties noPassword = new Properties();
      noPassword.setProperty("user", "postgres");
      assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close())
          .isInstanceOf(SQLException.class).hasMessageContaining("password");
      Properties wrong = new Properties();
      wrong.setProperty("user", "postgres");
      wrong.setProperty("password", "guess");
      assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close())
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");

      Path secret = data.resolve(DatabaseSecret.FILE);
      assertThat(Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(data)).isEqualTo(DatabaseSecret.PRIVATE_DIR);
      try (var all = Files.walk(data)) {
        List<Path> open = all.filter(p -> !Files.isSymbolicLink(p)).filter(p -> {
          try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
          } catch (IOException e) {
            return false; // gone meanwhile (a temporary file of PostgreSQL's)
          }
        }).toList();
        assertThat(open).as("files under the data directory others may read or write").isEmpty();
      }

      // A real other account on this machine, with psql: refused.
      assumeTrue(isRoot() && Files.isExecutable(PSQL), "needs root (to add a user) and PostgreSQL's psql");
      String user = "ridleyprobe" + ProcessHandle.current().pid();
      run(List.of("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
      try {
        Result r = run(List.of("runuser", "-u", user, "--", PSQL.toString(), "-h", "127.0.0.1", "-p",
            Integer.toString(port), "-U", "postgres", "-w", "-c", "select 1"));
        assertThat(r.code()).as(r.output()).isNotZero();
        assertThat(r.output()).containsAnyOf("password", "authentication");
        Result read = run(List.of("runuser", "-u", user, "--", "cat", secret.toString()));
        assertThat(read.code()).isNotZero();
        assertThat(read.output()).contains("Permission denied");
      } finally {
        run(List.of("userdel", user));
      }
    }
    // A second start of the same cluster asks for the password from the first moment.
    try (Database again = Database.open(config, null); Connection c = again.dataSource().getConnection()) {
      assertThat(c.isValid(2)).isTrue();
      assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
    }
  }

  record Result(int code, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  static boolean isRoot() {
    try {
      return run(List.of("id", "-u")).output().trim().equals("0");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
