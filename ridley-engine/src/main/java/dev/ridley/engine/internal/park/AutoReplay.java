package dev.ridley.engine.internal.park;

import dev.ridley.engine.ConflictException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.Park;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.ParkRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Route;
import dev.ridley.engine.pipeline.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays parked processes by themselves, like a disk buffer that feeds back: while a stage keeps
 * parking processes, whatever it sends to is still failing, so they wait; once the stage has
 * parked nothing for {@code replayAfter}, they are all replayed at the park's {@code to} stage.
 *
 * <p>Precisely, a parked process whose park has {@code replayAfter = R} is replayed at the first
 * sweep at which (1) it is still PARKED, (2) no process still parked by the same stage of the same
 * pipeline parked less than R ago, and (3) it has had fewer than {@code maxReplays} automatic
 * replays since a person last replayed it. A replayed process that fails again parks again, which
 * makes its stage busy again: the next round comes R after the last of them parked.
 *
 * <p>Runs in the sweeper of every node. Each replay locks the process and checks (1) to (3) again
 * on the locked row, so a process is replayed once per round however many nodes see it due.
 */
public final class AutoReplay {

  private static final int BATCH = 200;
  private static final Logger log = LoggerFactory.getLogger(AutoReplay.class);

  private final Db db;
  private final Transitions transitions;
  private final Interventions interventions;
  private final List<String> pipelines;
  private final Runnable onReplayed;
  private final Set<UUID> skipped = ConcurrentHashMap.newKeySet(); // warned once each

  /**
   * @param onReplayed called after a sweep replayed something, e.g. to wake waiting pollers
   */
  public AutoReplay(
      Db db, Transitions transitions, Interventions interventions, Collection<Pipeline> pipelines,
      Runnable onReplayed) {
    this.db = db;
    this.transitions = transitions;
    this.interventions = interventions;
    // Pipelines without a replaying park route cost nothing per sweep.
    this.pipelines = pipelines.stream().filter(AutoReplay::replaysParked).map(Pipeline::name).toList();
    this.onReplayed = onReplayed;
  }

  static boolean replaysParked(Pipeline p) {
    return p.routes().stream()
        .map(Route::target)
        .anyMatch(t -> t instanceof Target.Park park && park.replayAfter() != null);
  }

  /** Replays every parked process due now; returns how many. */
  public int runOnce() {
    Instant now = transitions.now();
    int replayed = 0;
    for (String pipeline : pipelines) {
      for (UUID id : db.read(c -> ParkRows.dueForReplay(c, pipeline, now, BATCH))) {
        try {
          if (db.tx(c -> replayIfDue(c, id, now))) replayed++;
        } catch (InvalidRequestException | ConflictException e) {
          // This process cannot be replayed as parked (e.g. its 'to' stage left the pipeline file):
          // it stays parked for a person, and the others still go.
          if (skipped.add(id)) log.warn("auto-replay of parked process {} skipped: {}", id, e.getMessage());
        }
      }
    }
    if (replayed > 0) onReplayed.run();
    return replayed;
  }

  private boolean replayIfDue(Connection c, UUID id, Instant now) throws SQLException {
    ProcessView p = ProcessRows.lock(c, id).orElse(null);
    if (p == null || p.status() != ProcessStatus.PARKED || p.park() == null) {
      return false; // replayed, cancelled or never parked: another node or a person came first
    }
    Park park = p.park();
    Duration replayAfter = park.replayAfter();
    if (replayAfter == null) return false;
    if (park.maxReplays() != null && ParkRows.autoReplays(c, id) >= park.maxReplays()) {
      return false; // stays parked for a person
    }
    Instant lastPark = ParkRows.lastParkedAt(c, p.pipeline(), p.lastSeen().stage());
    if (lastPark != null && lastPark.plus(replayAfter).isAfter(now)) {
      return false; // the stage parked again meanwhile: not quiet yet
    }
    interventions.replay(c, id, null, Interventions.BY_AUTO);
    return true;
  }
}
