package dev.ridley.server.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who is calling: the name of a key or the subject of a token, with its roles.
 *
 * @param name the principal's name; with auth on, the {@code user} of the processes it starts
 * @param roles what it may do
 * @param stages the stages a worker may poll and report; empty means every stage
 * @param onBehalfOf whether it may start processes for another {@code user} (a front end that
 *     authenticates its own users); {@code admin} may always
 */
public record Principal(String name, Set<Role> roles, Set<String> stages, boolean onBehalfOf) {

  /** The caller when authentication is off: may do everything, and names no one. */
  public static final Principal NOBODY = new Principal(null, EnumSet.allOf(Role.class), Set.of(), true);

  public Principal {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    stages = Set.copyOf(stages);
  }

  public static Principal of(String name, Collection<Role> roles) {
    return new Principal(name, roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles), Set.of(), false);
  }

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  /** Whether it reads every process (operator, admin), not only its own. */
  public boolean readsAll() {
    return has(Role.OPERATOR);
  }

  /** Whether it may start a process for a {@code user} other than itself. */
  public boolean actsForOthers() {
    return onBehalfOf || roles.contains(Role.ADMIN);
  }

  /** Whether it may poll and report for {@code stage}. */
  public boolean mayWork(String stage) {
    return stages.isEmpty() || stages.contains(stage) || roles.contains(Role.ADMIN);
  }

  /** The stages among {@code wanted} it may not work on. */
  public List<String> forbiddenStages(Collection<String> wanted) {
    return wanted.stream().filter(s -> !mayWork(s)).toList();
  }

  /** Whether authentication is off for this caller (everything allowed, no name). */
  public boolean anonymous() {
    return name == null;
  }
}
