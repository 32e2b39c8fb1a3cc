package dev.ridley.server.auth;

import dev.ridley.server.TestServers;
import dev.ridley.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A key file for tests, with one principal per role and a few special ones; keys are fixed. */
public final class Keys {

  public static final String SHOP = "key-shop";
  public static final String OTHER_SHOP = "key-other-shop";
  public static final String FRONTEND = "key-frontend";
  public static final String DIVIDE_WORKERS = "key-divide-workers";
  public static final String OPS = "key-ops";
  public static final String ADMIN = "key-admin";
  public static final String SCRAPER = "key-scraper";
  public static final String WORKERS = "key-workers";

  private Keys() {}

  /** Writes the key file and answers its path. */
  public static Path file() {
    StringBuilder y = new StringBuilder("keys:\n");
    y.append(ApiKeys.entry("shop", SHOP, List.of(Role.CLIENT)));
    y.append(ApiKeys.entry("other-shop", OTHER_SHOP, List.of(Role.CLIENT)));
    y.append(ApiKeys.entry("frontend", FRONTEND, List.of(Role.CLIENT))).append("    onBehalfOf: true\n");
    y.append(ApiKeys.entry("divide-workers", DIVIDE_WORKERS, List.of(Role.WORKER))).append("    stages: [divide, ocean]\n");
    y.append(ApiKeys.entry("ops", OPS, List.of(Role.OPERATOR)));
    y.append(ApiKeys.entry("admin", ADMIN, List.of(Role.ADMIN)));
    y.append(ApiKeys.entry("scraper", SCRAPER, List.of(Role.METRICS)));
    y.append(ApiKeys.entry("workers", WORKERS, List.of(Role.WORKER)));
    try {
      Path f = Files.createTempFile("ridley-keys", ".yaml");
      Files.writeString(f, y);
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test server configuration with these keys. */
  public static ServerConfig config() {
    return TestServers.config().toBuilder().setAuthFile(file()).build();
  }
}
