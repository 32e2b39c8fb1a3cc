package dev.ridley.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded PostgreSQL's superuser password and access rules. PostgreSQL's own default for an
 * embedded cluster trusts every local connection, so any account on the machine could connect as
 * its superuser and run programs as Ridley's user ({@code COPY ... TO PROGRAM}). Instead: a random
 * password in {@code postgres.password} (mode 0600) beside the cluster, {@code scram-sha-256} for
 * every connection, and the whole data directory private to Ridley's user (0700).
 */
final class DatabaseSecret {

  static final String FILE = "postgres.password";
  /** Marks a cluster whose superuser has its password and whose pg_hba.conf asks for it. */
  static final String HARDENED = "ridley-hardened";

  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

  static final String HBA = String.join("\n",
      "# Written by Ridley: every connection gives the superuser's password (" + FILE + ").",
      "local all all scram-sha-256",
      "host all all 127.0.0.1/32 scram-sha-256",
      "host all all ::1/128 scram-sha-256",
      "");

  private DatabaseSecret() {}

  /** The password kept in {@code root/postgres.password}, made on first use; the directory is made private. */
  static String password(Path root) {
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PRIVATE_DIR);
      Path file = root.resolve(FILE);
      if (!Files.exists(file)) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
          Files.writeString(file, pw, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
          // another start wrote it first: read theirs
        }
      }
      Files.setPosixFilePermissions(file, PRIVATE_FILE);
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the embedded PostgreSQL's password in " + root + " (RIDLEY_DATA_DIR): "
          + e.getMessage(), e);
    }
  }

  /** Whether the cluster already asks for the password (then pg_hba.conf is written before each start). */
  static boolean hardened(Path pgData) {
    return Files.exists(pgData.resolve(HARDENED));
  }

  /** Before a start of a hardened cluster: pg_hba.conf as Ridley wants it, whatever was there. */
  static void writeHba(Path pgData) {
    if (!hardened(pgData)) return;
    try {
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * After the first start of a cluster that still trusts local users: gives the superuser its
   * password, writes pg_hba.conf and reloads it, then marks the cluster.
   */
  static void harden(String jdbcUrl, Path pgData, String password, long postmaster) {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password);
    try (Connection c = DriverManager.getConnection(jdbcUrl, p)) {
      // The driver hashes the password (SCRAM) before it is sent: it never travels or is logged in clear.
      c.unwrap(PGConnection.class).alterUserPassword("postgres", password.toCharArray(), "scram-sha-256");
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA, StandardCharsets.US_ASCII);
      Files.writeString(pgData.resolve(HARDENED), "the superuser has a password; pg_hba.conf asks for it\n");
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
    }
    // SIGHUP: PostgreSQL reads pg_hba.conf again; the start returns once it asks for the password.
    try {
      new ProcessBuilder("kill", "-HUP", Long.toString(postmaster)).inheritIO().start().waitFor();
      Properties none = new Properties();
      none.setProperty("user", "postgres");
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        try (Connection open = DriverManager.getConnection(jdbcUrl, none)) {
          Thread.sleep(20); // still trusting: the reload is under way
        } catch (SQLException asksForPassword) {
          return;
        }
      }
      throw new IllegalStateException("the embedded PostgreSQL did not take its new pg_hba.conf within 10 s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes a directory and everything under it private to this user (0700 directories, no access for others). */
  static void makePrivate(Path dir) {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(p)) continue;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        perms.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE));
        Files.setPosixFilePermissions(p, perms);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + dir + " private: " + e.getMessage(), e);
    }
  }
}
