package dev.ridley.server;

import dev.ridley.engine.testing.TestDatabase;
import dev.ridley.server.config.ServerConfig;
import java.nio.file.Path;

/** Real servers for tests: a fresh database on the shared embedded PostgreSQL, a random port. */
public final class TestServers {

  private TestServers() {}

  /** The repository's root folder, where {@code pipelines/} and {@code docs/} live. */
  public static Path repoRoot() {
    String root = System.getProperty("ridley.repo.root");
    return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
  }

  public static ServerConfig config() {
    return ServerConfig.newBuilder()
        .setDbUrl(TestDatabase.freshUrl())
        .setDbUser("postgres")
        .setHttpPort(0)
        .setPipelines(repoRoot().resolve("pipelines"))
        .build();
  }

  /** A server with the example pipelines on a fresh database. */
  public static RidleyServer start() {
    return RidleyServer.start(config());
  }
}
