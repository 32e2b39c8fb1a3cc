package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ConflictException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.NotFoundException;
import dev.ridley.engine.Park;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ParkRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import dev.ridley.engine.pipeline.Pipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What people (and auto-replay) do to a process from outside: replay and cancel. */
public final class Interventions {

  /** The statuses a replay resumes from. */
  public static final Set<ProcessStatus> REPLAYABLE =
      Collections.unmodifiableSet(EnumSet.of(ProcessStatus.FAILED, ProcessStatus.LOST, ProcessStatus.PARKED));

  /** Who replayed: the engine itself, for a park with {@code replayAfter}. */
  public static final String BY_AUTO = "auto";

  private final Transitions transitions;

  public Interventions(Transitions transitions) {
    this.transitions = transitions;
  }

  /**
   * Resumes a FAILED, LOST or PARKED process as a new attempt: at {@code fromStage} if given, at
   * the park's {@code to} stage for a parked process, at the stage where the failure that ended a
   * FAILED process started ({@link #failureStart}), else at the stage where it stopped. The input
   * is what that stage last received. The process's deadline starts again; its {@code error} stays
   * until the replay ends otherwise.
   *
   * @param by who replayed: "api", "bulk" or {@link #BY_AUTO}, recorded in the journal. An
   *     automatic replay counts towards the park's {@code maxReplays}; any other starts that count
   *     again
   */
  public TaskView replay(Connection c, UUID processId, String fromStage, String by)
      throws SQLException {
    return replay(c, processId, fromStage, by, null);
  }

  /** As {@link #replay(Connection, UUID, String, String)}, recording the principal that asked ({@code actor}). */
  public TaskView replay(Connection c, UUID processId, String fromStage, String by, String actor)
      throws SQLException {
    ProcessView p = ProcessRows.lock(c, processId)
        .orElseThrow(() -> new NotFoundException("process", processId.toString()));
    if (!REPLAYABLE.contains(p.status())) {
      throw new ConflictException(
          "process " + p.id() + " is " + p.status() + "; only FAILED, LOST or PARKED processes can be"
              + " replayed" + (p.status() == ProcessStatus.RUNNING ? " (it is still moving)" : ""),
          p.id(), null);
    }
    Pipeline pipeline = transitions.pipeline(p.pipeline());
    Park park = p.status() == ProcessStatus.PARKED ? p.park() : null;
    String stage = fromStage != null ? fromStage
        : park != null && park.to() != null ? park.to()
        : p.status() == ProcessStatus.FAILED ? failureStart(JournalRows.ofProcess(c, p.id()), p.lastSeen().stage())
        : p.lastSeen().stage();
    if (pipeline.stage(stage).isEmpty()) {
      throw new InvalidRequestException("pipeline '" + pipeline.name() + "' has no stage '" + stage
          + "'; its stages: " + pipeline.stages().stream().map(s -> s.name()).toList());
    }
    JsonNode input = park != null && fromStage == null && park.input() != null ? park.input()
        : inputAt(c, p, pipeline, stage);
    Instant now = transitions.now();
    TaskView next = transitions.newTask(p.id(), p.pipeline(), stage, 1, p.attempts() + 1, input, now, now, now);
    BatchRows.insert(c, List.of(next));
    transitions.handoffs().outbox(c, List.of(next), next.enqueuedAt());
    ProcessView resumed = Transitions.movedTo(p, stage, now, next.id()).error(p.error())
        .deadlineAt(now.plus(pipeline.timeout())).replays(p.replays() + 1).build();
    BatchRows.update(c, List.of(resumed));
    ParkRows.countReplay(c, p.id(), BY_AUTO.equals(by));
    ObjectNode replayed = Events.data()
        .put("from", p.status().name()).put("stage", stage).put("by", by).put("replay", p.replays() + 1);
    if (actor != null) replayed.put("actor", actor);
    JournalRows.append(c, List.of(
        Events.ofProcess(p.id(), now, JournalEvent.PROCESS_REPLAYED, replayed),
        Events.ofTask(next, now, JournalEvent.TASK_ENQUEUED, Events.data().put("replay", true))));
    return next;
  }

  /** Cancels a RUNNING or PARKED process; its queued or running attempt is cancelled too. */
  public ProcessView cancel(Connection c, UUID processId, String reason, String actor) throws SQLException {
    ProcessView p = ProcessRows.lock(c, processId)
        .orElseThrow(() -> new NotFoundException("process", processId.toString()));
    if (p.status() != ProcessStatus.RUNNING && p.status() != ProcessStatus.PARKED) {
      throw new ConflictException("process " + p.id() + " is " + p.status()
          + "; only RUNNING or PARKED processes can be cancelled", p.id(), null);
    }
    Instant now = transitions.now();
    List<JournalEvent> events = new ArrayList<>();
    if (p.currentTask() != null) {
      TaskView t = TaskRows.lock(c, p.currentTask()).orElse(null);
      if (t != null && (t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.RUNNING)) {
        BatchRows.finish(c, List.of(t.toBuilder().status(TaskStatus.CANCELLED).finishedAt(now)
            .outcome("cancelled").output(null).error(null).trace(null).build()));
        events.add(Events.ofTask(t, now, JournalEvent.TASK_CANCELLED, Events.data()));
      }
    }
    ProcessView cancelled = Transitions.moved(p, ProcessStatus.CANCELLED, p.lastSeen().stage(), now)
        .finishedAt(now).output(p.output()).error(p.error()).build();
    BatchRows.update(c, List.of(cancelled));
    transitions.handoffs().notifyEnds(c, List.of(cancelled));
    ObjectNode data = Events.data().put("from", p.status().name())
        .put("reason", reason == null ? "cancelled by request" : reason);
    if (actor != null) data.put("actor", actor);
    events.add(Events.ofProcess(p.id(), now, JournalEvent.PROCESS_CANCELLED, data));
    JournalRows.append(c, events);
    return cancelled;
  }

  /**
   * Where the failure that ended a process started: from the stage it ended at, back along the
   * routes that brought it there on a failure ({@code divide.failed -> errors}, {@code
   * x.timeout -> y}), as far as the failure goes. A stage entered on any other outcome (or the
   * first stage) is where it started. Only the journal since the last replay counts.
   *
   * @param journal the process's journal, oldest first
   * @param endStage the stage the process ended at
   */
  static String failureStart(List<JournalEvent> journal, String endStage) {
    String stage = endStage;
    for (int i = journal.size() - 1; i >= 0; i--) {
      JournalEvent e = journal.get(i);
      if (JournalEvent.PROCESS_REPLAYED.equals(e.type())) {
        break;
      }
      if (!JournalEvent.PROCESS_ROUTED.equals(e.type()) || e.data() == null) {
        continue;
      }
      String route = e.data().path("route").asText("");
      if (!stage.equals(e.data().path("to").asText(null))) {
        continue;
      }
      int dot = route.lastIndexOf('.');
      String outcome = dot < 0 ? "" : route.substring(dot + 1);
      if (!outcome.equals(Report.FAILED) && !outcome.equals(Report.TIMEOUT)) {
        break;
      }
      stage = route.substring(0, dot);
    }
    return stage;
  }

  /** What {@code stage} last received: its latest attempt's input, or the payload at the first stage. */
  private static JsonNode inputAt(Connection c, ProcessView p, Pipeline pipeline, String stage)
      throws SQLException {
    List<TaskView> tasks = TaskRows.ofProcess(c, p.id());
    for (int i = tasks.size() - 1; i >= 0; i--) {
      if (tasks.get(i).stage().equals(stage)) {
        return tasks.get(i).input();
      }
    }
    if (pipeline.firstStage().name().equals(stage)) {
      return p.payload();
    }
    throw new InvalidRequestException("process " + p.id() + " never reached stage '" + stage
        + "', so there is no input to replay it with; replay from a stage it reached");
  }
}
