package dev.ridley.engine.internal.routing;

import dev.ridley.engine.EngineObserver;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskView;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the observer what a committed change did, so that a misbehaving observer can never fail
 * or slow down the change itself beyond its own call.
 */
public final class Observing {

  private static final Logger log = LoggerFactory.getLogger(Observing.class);

  private final EngineObserver observer;
  private final Consumer<UUID> processEnded;

  public Observing(EngineObserver observer) {
    this(observer, id -> {});
  }

  /** @param processEnded told of every process that ended (left RUNNING): wakes those waiting for it */
  public Observing(EngineObserver observer, Consumer<UUID> processEnded) {
    this.observer = observer;
    this.processEnded = processEnded;
  }

  /** An attempt ended, and with it perhaps its process. */
  public void ended(TaskView task, ProcessView after) {
    if (after != null && after.status() != ProcessStatus.RUNNING) processEnded.accept(after.id());
    if (observer == EngineObserver.NONE || task == null) return;
    Duration run = task.polledAt() == null || task.finishedAt() == null
        ? Duration.ZERO : Duration.between(task.polledAt(), task.finishedAt());
    tell(o -> o.taskEnded(task.pipeline(), task.stage(), task.outcome(), run));
    if (after != null) tellEnded(after);
  }

  /** A process changed state; told when it reached an end (PARKED counts). */
  public void processMoved(ProcessView after) {
    if (after.status() != ProcessStatus.RUNNING) processEnded.accept(after.id());
    tellEnded(after);
  }

  private void tellEnded(ProcessView after) {
    if (observer == EngineObserver.NONE || after.status() == ProcessStatus.RUNNING) return;
    tell(o -> o.processEnded(after.pipeline(), after.status(), after.lostReason()));
  }

  public void started(String pipeline) {
    tell(o -> o.processStarted(pipeline));
  }

  public void claimed(TaskView task) {
    if (observer == EngineObserver.NONE) return;
    Duration pickup = task.enqueuedAt() == null || task.polledAt() == null
        ? Duration.ZERO : Duration.between(task.enqueuedAt(), task.polledAt());
    tell(o -> o.taskClaimed(task.pipeline(), task.stage(), pickup));
  }

  public void timer(String pipeline, String stage, String timer) {
    tell(o -> o.timerFired(pipeline, stage, timer));
  }

  private void tell(Consumer<EngineObserver> call) {
    if (observer == EngineObserver.NONE) return;
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      log.warn("an engine observer failed and was skipped: {}", e.toString());
    }
  }
}
