package dev.ridley.engine;

import java.util.List;

/**
 * What {@code /health} reports of this node's engine.
 *
 * @param databaseWritable whether the database accepted a write just now (see {@link
 *     Operations#health()})
 * @param databaseProblem why it did not, as the database or the driver said; null when it did
 * @param loops this node's background loops (the sweeper once started, the wake-up connections)
 */
public record Health(boolean databaseWritable, String databaseProblem, List<LoopHealth> loops) {

  public Health {
    loops = List.copyOf(loops);
  }

  /** Whether every loop's last round succeeded. */
  public boolean loopsUp() {
    return loops.stream().noneMatch(LoopHealth::failing);
  }
}
