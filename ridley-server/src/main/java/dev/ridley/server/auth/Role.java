package dev.ridley.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. Roles add up: a key with {@code [client, metrics]} may do both.
 *
 * <ul>
 *   <li>{@code client}: start processes and read its own (search, get, events, tasks, tree);
 *   <li>{@code worker}: poll, heartbeat, complete and fail, for its stages;
 *   <li>{@code operator}: read everything, replay, cancel, pause and resume;
 *   <li>{@code admin}: everything;
 *   <li>{@code metrics}: scrape {@code /metrics}.
 * </ul>
 */
public enum Role {
  CLIENT,
  WORKER,
  OPERATOR,
  ADMIN,
  METRICS;

  /** The name as written in key files, tokens and answers: lowercase. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code id} (lowercase, as in a key file), if there is one. */
  public static Optional<Role> of(String id) {
    return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
  }

  /** The names of every role, for messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(Role::id).toList());
  }
}
