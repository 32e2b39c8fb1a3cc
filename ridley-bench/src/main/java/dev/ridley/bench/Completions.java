package dev.ridley.bench;

import dev.ridley.engine.Engine;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import dev.ridley.engine.routing.ReportBatch;
import java.util.List;

/** Batched reports on an engine in this JVM, as the batch HTTP route applies them. */
final class Completions {

  private Completions() {}

  static List<ReportResult> completeAll(Engine engine, List<TaskReport> reports) {
    List<ReportResult> results = ReportBatch.apply(engine.db(), engine.transitions(), reports);
    engine.wakeUps().wake();
    return results;
  }
}
