package dev.ridley.server.auth;

import io.javalin.security.RouteRole;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a route needs from its caller. Each route has exactly one, given by {@link AccessRules}.
 * A process-level rule ({@link #READ}) is further narrowed by the route: a {@code client} reads
 * only processes whose {@code user} it is, and is answered 404 for the others.
 */
public enum Access implements RouteRole {
  /** Anyone, signed in or not: {@code /health}, the sign-in page, the dashboard's static files. */
  PUBLIC(Set.of()),
  /** Any known caller, whatever its roles: who am I. */
  SIGNED_IN(Set.of()),
  /** Start a process. */
  START(EnumSet.of(Role.CLIENT)),
  /** Read processes (a client its own, an operator all). */
  READ(EnumSet.of(Role.CLIENT, Role.OPERATOR)),
  /**
   * Read the pipelines' definitions (an operator with their counts and workers): clients to start
   * and follow their processes, workers to learn which of their stages travel over RabbitMQ.
   */
  DEFINITIONS(EnumSet.of(Role.CLIENT, Role.OPERATOR, Role.WORKER)),
  /** Read the machine from above: the next tasks of a stage, throughput. */
  OBSERVE(EnumSet.of(Role.OPERATOR)),
  /** Replay, cancel, pause, resume. */
  OPERATE(EnumSet.of(Role.OPERATOR)),
  /** Poll, heartbeat, complete, fail. */
  WORK(EnumSet.of(Role.WORKER)),
  /** Scrape the Prometheus metrics. */
  METRICS(EnumSet.of(Role.METRICS)),
  /** A route nobody gave a rule: admin only, so a forgotten rule fails closed. */
  ADMIN(EnumSet.of(Role.ADMIN));

  private final Set<Role> any;

  Access(Set<Role> any) {
    this.any = any;
  }

  /** Whether a known caller with these roles may use the route ({@code admin} may use every route). */
  public boolean allows(Principal p) {
    if (this == PUBLIC || this == SIGNED_IN || p.roles().contains(Role.ADMIN)) return true;
    return any.stream().anyMatch(p.roles()::contains);
  }

  /** Whether the route answers without credentials. */
  public boolean open() {
    return this == PUBLIC;
  }

  /** The roles that may use it, as a 403 names them: "client or operator". */
  public String needs() {
    Set<Role> roles = EnumSet.copyOf(any.isEmpty() ? Set.of(Role.ADMIN) : any);
    roles.add(Role.ADMIN);
    return String.join(" or ", roles.stream().map(Role::id).toList());
  }
}
