package dev.ridley.server.cli;

import dev.ridley.engine.RidleyException;
import dev.ridley.server.auth.ApiKeys;
import dev.ridley.server.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The demo's own keys, when it runs with {@code RIDLEY_AUTH_FILE}: an admin for a person, a
 * client that starts the orders, and a worker for the example workers. The file is written with
 * their hashes (mode 0600); the keys themselves are printed once and kept nowhere.
 */
record DemoKeys(String admin, String client, String worker) {

  /** Writes a new key file at {@code file}, which must not exist yet, and answers its keys. */
  static DemoKeys create(Path file) {
    DemoKeys k = new DemoKeys(ApiKeys.newKey(), ApiKeys.newKey(), ApiKeys.newKey());
    String yaml = "# Keys of the Ridley demo (ridley demo); the keys were printed when it started.\nkeys:\n"
        + ApiKeys.entry("demo-admin", k.admin(), List.of(Role.ADMIN))
        + ApiKeys.entry("demo-client", k.client(), List.of(Role.CLIENT))
        + ApiKeys.entry("demo-workers", k.worker(), List.of(Role.WORKER));
    try {
      if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, yaml);
    } catch (FileAlreadyExistsException e) {
      throw new RidleyException("RIDLEY_AUTH_FILE=" + file + " exists; the demo makes keys of its own, so point"
          + " RIDLEY_AUTH_FILE at a file that does not exist yet (e.g. ./ridley-data/demo-keys.yaml)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's key file " + file + ": " + e.getMessage(), e);
    }
    return k;
  }

  /** What the demo prints about its keys. */
  String banner(Path file) {
    return String.join("\n",
        "",
        "Authentication is on (RIDLEY_AUTH_FILE=" + file + "); the demo made these keys, shown only now:",
        "  admin  (sign in to the dashboard, curl):  " + admin,
        "  client (starts the orders):               " + client,
        "  worker (the example workers):             " + worker,
        "Add -H 'Authorization: Bearer " + admin + "' to the curl commands below.");
  }
}
