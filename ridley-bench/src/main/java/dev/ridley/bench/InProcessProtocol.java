package dev.ridley.bench;

import dev.ridley.engine.ClaimedTask;
import dev.ridley.engine.Engine;
import dev.ridley.engine.ReportResult;
import dev.ridley.engine.TaskReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Workers in the engine's own JVM: {@link Engine#poll} and {@link Engine#complete}, no HTTP. */
final class InProcessProtocol implements Protocol {

  private final Engine engine;
  private final boolean batch;

  InProcessProtocol(Engine engine, boolean batch) {
    this.engine = engine;
    this.batch = batch;
  }

  @Override
  public String name() {
    return batch ? "inproc-batch" : "inproc";
  }

  @Override
  public List<Task> poll(String worker, List<String> stages, int max, Duration wait)
      throws InterruptedException {
    List<ClaimedTask> claimed = engine.workers().poll(worker, stages, max, wait);
    List<Task> out = new ArrayList<>(claimed.size());
    for (ClaimedTask t : claimed) out.add(new Task(t.id(), t.stage(), t.attempt(), t.input()));
    return out;
  }

  @Override
  public void complete(List<Result> results) {
    if (!batch) {
      for (Result r : results) engine.workers().complete(r.task().id(), "ok", r.output());
      return;
    }
    List<TaskReport> reports = new ArrayList<>(results.size());
    for (Result r : results) reports.add(TaskReport.ok(r.task().id(), r.output()));
    for (ReportResult r : engine.workers().completeAll(reports)) {
      if (!r.applied()) throw new BenchException("a batched result was refused: " + r.refused().getMessage());
    }
  }

  @Override
  public boolean batches() {
    return batch;
  }
}
