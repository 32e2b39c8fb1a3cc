package dev.ridley.engine.internal;

import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.internal.dispatch.EndWaiters;
import dev.ridley.engine.internal.dispatch.Sightings;
import dev.ridley.engine.internal.dispatch.StageGate;
import dev.ridley.engine.internal.dispatch.WakeUps;
import dev.ridley.engine.internal.routing.Interventions;
import dev.ridley.engine.internal.routing.Transitions;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.pipeline.Pipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The machinery the three facades share; built once by {@link Wiring}. */
record Parts(
    Db db,
    Transitions transitions,
    Interventions interventions,
    WakeUps wakeUps,
    StageGate gate,
    Sightings sightings,
    Duration pollRecheck,
    EndWaiters endWaiters) {

  Pipeline pipeline(String name) {
    return transitions.pipeline(name);
  }

  List<String> stageNames(String pipeline) {
    return pipeline(pipeline).stages().stream().map(s -> s.name()).toList();
  }

  static void requireProcess(Connection c, UUID id) throws SQLException {
    if (ProcessRows.find(c, id).isEmpty()) {
      throw new NotFoundException("process", id.toString());
    }
  }
}
