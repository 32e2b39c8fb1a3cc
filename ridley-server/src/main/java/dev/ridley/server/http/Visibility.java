package dev.ridley.server.http;

import dev.ridley.engine.Engine;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.ProcessView;
import dev.ridley.server.auth.Principal;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.UUID;

/**
 * Which processes a caller sees: an operator or admin (or anyone, with authentication off) sees
 * all; any other caller those whose {@code user} it is, and those it started for a user of its own
 * (a key with {@code onBehalfOf}). Another's process is answered 404, exactly as one that does not
 * exist, so its existence is not leaked.
 */
final class Visibility {

  private Visibility() {}

  /** Whether the caller sees every process. */
  static boolean seesAll(Principal p) {
    return p.anonymous() || p.readsAll();
  }

  /** The process, when the caller may see it; else 404 as if there were none. */
  static ProcessView check(Context ctx, Engine engine, ProcessView p, String rawId) {
    Principal caller = Guard.caller(ctx);
    if (!seesAll(caller) && !Objects.equals(caller.name(), p.user())
        && !engine.processes().startedBy(p.id()).filter(caller.name()::equals).isPresent()) {
      throw new NotFoundException("process", rawId);
    }
    return p;
  }

  /** 404 unless the process exists and the caller may see it; free for a caller who sees all. */
  static void check(Context ctx, Engine engine, UUID id) {
    if (seesAll(Guard.caller(ctx))) return;
    ProcessView p = engine.processes().process(id).orElseThrow(() -> new NotFoundException("process", id.toString()));
    check(ctx, engine, p, id.toString());
  }
}
