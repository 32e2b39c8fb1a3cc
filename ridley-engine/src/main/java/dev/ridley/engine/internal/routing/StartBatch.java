package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.LastSeen;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.Processes;
import dev.ridley.engine.RidleyException;
import dev.ridley.engine.StartAnswer;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.BatchRows;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.StartRows;
import dev.ridley.engine.pipeline.Pipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one path by which processes start, for a single start (a batch of one) as for many (a bulk
 * start, or concurrent single starts gathered by the group commit): one insert per table for the
 * whole batch, and one lookup for the customIds that were taken, so many starts cost one commit
 * and a handful of round trips.
 *
 * <p>Each start is still answered as if it were alone: a customId already used answers
 * ALREADY_EXISTS or CONFLICT with the process that has it; a customId named twice in one batch
 * starts one process and the later item answers as a repeat of the first. Starts with a customId
 * are inserted in (pipeline, customId) order, so two batches waiting on each other's customIds
 * never wait in a cycle.
 *
 * <p>When the transaction fails, it is rolled back whole; a batch of one then fails to its caller.
 * A larger batch starts each item again alone (looking first for the process id it wrote, in case
 * the failure was a commit whose outcome is unknown), so one item at fault cannot sink the others.
 */
public final class StartBatch {

  private static final int RECHECKS = 3;

  private StartBatch() {}

  /** One start: the pipeline, the request, and the id the process gets if it is created. */
  public record Start(String pipeline, StartRequest request, UUID id) {}

  /**
   * Starts them; answers come in the order given. Requests without a payload are refused alone.
   *
   * @throws InvalidRequestException for more than {@link Processes#MAX_START_BATCH} starts
   * @throws RuntimeException for a batch of one whose transaction failed
   */
  public static List<StartAnswer> apply(Db db, Transitions tr, List<Start> starts) {
    if (starts.size() > Processes.MAX_START_BATCH) {
      throw new InvalidRequestException(
          "a batch takes at most " + Processes.MAX_START_BATCH + " starts, got " + starts.size());
    }
    StartAnswer[] out = new StartAnswer[starts.size()];
    List<Integer> valid = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      Start s = starts.get(i);
      try {
        check(tr, s);
        valid.add(i);
      } catch (RidleyException refused) {
        out[i] = new StartAnswer(null, refused);
      }
    }
    if (valid.isEmpty()) return Arrays.asList(out);
    List<Start> todo = valid.stream().map(starts::get).toList();
    if (starts.size() == 1) {
      out[0] = new StartAnswer(alone(db, tr, todo.getFirst(), false), null);
      return Arrays.asList(out);
    }
    try {
      List<StartResult> results = db.tx(c -> startAll(c, tr, todo));
      for (int k = 0; k < results.size(); k++) out[valid.get(k)] = new StartAnswer(results.get(k), null);
    } catch (RuntimeException whole) {
      for (int k = 0; k < todo.size(); k++) {
        Start s = todo.get(k);
        try {
          out[valid.get(k)] = new StartAnswer(alone(db, tr, s, true), null);
        } catch (RuntimeException e) {
          out[valid.get(k)] = new StartAnswer(null, e instanceof RidleyException refused ? refused
              : new RidleyException("the start of a process of pipeline '" + s.pipeline() + "' failed: " + e, e));
        }
      }
    }
    return Arrays.asList(out);
  }

  /** What every start must have before anything is written. */
  private static void check(Transitions tr, Start s) {
    tr.pipeline(s.pipeline());
    if (s.request().payload() == null || s.request().payload().isNull()) {
      throw new InvalidRequestException("a process needs a payload (any JSON value but null, e.g. {})");
    }
  }

  /**
   * One start in its own transaction. {@code lookFirst}: the process id may have been written by a
   * commit whose outcome was unknown, so it is looked for first (found: CREATED). When this one's
   * commit's outcome is unknown, it is looked for the same way; when the database cannot be asked
   * either, the answer is a {@link CommitOutcomeUnknownException} that says whether a retry is safe.
   */
  public static StartResult alone(Db db, Transitions tr, Start s, boolean lookFirst) {
    try {
      return db.tx(c -> lookFirst ? findOrStart(c, tr, s) : single(c, tr, s));
    } catch (CommitOutcomeUnknownException unknown) {
      return recheck(db, tr, s, unknown);
    }
  }

  private static StartResult single(Connection c, Transitions tr, Start s) throws SQLException {
    return tr.start(c, s.pipeline(), s.request(), s.id());
  }

  private static StartResult findOrStart(Connection c, Transitions tr, Start s) throws SQLException {
    Optional<ProcessView> written = ProcessRows.find(c, s.id());
    return written.isPresent()
        ? new StartResult(StartResult.Result.CREATED, written.get())
        : single(c, tr, s);
  }

  private static StartResult recheck(Db db, Transitions tr, Start s, CommitOutcomeUnknownException unknown) {
    for (int tries = 1; ; tries++) {
      try {
        return db.tx(c -> findOrStart(c, tr, s));
      } catch (DatabaseUnavailableException again) {
        if (tries < RECHECKS) {
          Db.backOff(tries);
          continue;
        }
        String customId = s.request().customId();
        String retry = customId != null
            ? "retrying with the same customId ('" + customId + "') is safe: it answers 201 or 200 with the"
                + " one process"
            : "this start has no customId, so a retry may create a second process: look for process " + s.id()
                + " first, or start with a customId to make retries safe";
        CommitOutcomeUnknownException answer = new CommitOutcomeUnknownException(
            "the outcome is unknown: the database connection failed while the start committed, and the database"
                + " could not be asked again; " + retry, unknown);
        answer.addSuppressed(again);
        throw answer;
      }
    }
  }

  /** The set form: every start of the list in this transaction, answered in order. */
  static List<StartResult> startAll(Connection c, Transitions tr, List<Start> starts) throws SQLException {
    Instant now = tr.now();
    // The first item naming a customId is the one that may create; later ones repeat it.
    Map<String, Integer> firstByKey = new HashMap<>();
    List<Integer> creating = new ArrayList<>(starts.size());
    ProcessView[] planned = new ProcessView[starts.size()];
    TaskView[] tasks = new TaskView[starts.size()];
    for (int i = 0; i < starts.size(); i++) {
      Start s = starts.get(i);
      Pipeline pipeline = tr.pipeline(s.pipeline());
      String first = pipeline.firstStage().name();
      StartRequest req = s.request();
      TaskView task = tr.newTask(s.id(), s.pipeline(), first, 1, 1, req.payload(), now, now, now);
      tasks[i] = task;
      planned[i] = ProcessView.builder()
          .id(s.id()).pipeline(s.pipeline()).customId(req.customId()).user(req.user())
          .status(ProcessStatus.RUNNING).payload(req.payload()).lastSeen(new LastSeen(first, now))
          .createdAt(now).deadlineAt(now.plus(pipeline.timeout())).currentTask(task.id()).attempts(1)
          .build();
      if (req.customId() == null || firstByKey.putIfAbsent(s.pipeline() + "\n" + req.customId(), i) == null) {
        creating.add(i);
      }
    }
    // In (pipeline, customId) order, those without one last: concurrent batches take the unique
    // index's entries in the same order.
    List<ProcessView> rows = creating.stream().map(i -> planned[i])
        .sorted(Comparator.comparing((ProcessView p) -> p.customId() == null)
            .thenComparing(ProcessView::pipeline)
            .thenComparing(p -> p.customId() == null ? "" : p.customId()))
        .toList();
    Map<UUID, String> startedBy = new HashMap<>();
    for (int i : creating) {
      String by = startedBy(starts.get(i).request());
      if (by != null) startedBy.put(planned[i].id(), by);
    }
    Set<UUID> inserted = StartRows.insert(c, rows, startedBy);
    tr.checkpoint().reached("start.process-inserted");
    List<TaskView> newTasks = new ArrayList<>(inserted.size());
    List<JournalEvent> events = new ArrayList<>(inserted.size() * 2);
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      if (!inserted.contains(planned[i].id())) {
        taken.add(i);
        continue;
      }
      newTasks.add(tasks[i]);
      events.addAll(startEvents(planned[i], tasks[i], now, starts.get(i).request().actor()));
    }
    BatchRows.insert(c, newTasks);
    tr.handoffs().outbox(c, newTasks, now);
    tr.checkpoint().reached("start.task-inserted");
    JournalRows.append(c, events);
    StartResult[] out = new StartResult[starts.size()];
    for (int i = 0; i < starts.size(); i++) {
      if (inserted.contains(planned[i].id())) out[i] = new StartResult(StartResult.Result.CREATED, planned[i]);
    }
    List<StartRows.Found> found = StartRows.taken(c, taken.stream().map(i -> planned[i]).toList());
    for (int k = 0; k < taken.size(); k++) {
      int i = taken.get(k);
      StartRows.Found f = found.get(k);
      boolean same = f.samePayload() && Objects.equals(f.process().user(), starts.get(i).request().user());
      out[i] = new StartResult(same ? StartResult.Result.ALREADY_EXISTS : StartResult.Result.CONFLICT, f.process());
    }
    return Arrays.asList(out);
  }

  /** The journal of a new process: started, and its first task enqueued. */
  static List<JournalEvent> startEvents(ProcessView p, TaskView task, Instant now, String actor) {
    ObjectNode data = Events.data();
    if (p.customId() != null) data.put("customId", p.customId());
    if (p.user() != null) data.put("user", p.user());
    if (actor != null) data.put("actor", actor);
    return List.of(
        Events.ofProcess(p.id(), now, JournalEvent.PROCESS_STARTED, data.put("pipeline", p.pipeline())),
        Events.ofTask(task, now, JournalEvent.TASK_ENQUEUED, Events.data()));
  }

  /**
   * Who started a process for its user, kept when that is not the user itself (a front end acting
   * on behalf of its users), so it can read back what it started; null otherwise.
   */
  static String startedBy(StartRequest req) {
    return req.actor() != null && !req.actor().equals(req.user()) ? req.actor() : null;
  }
}
