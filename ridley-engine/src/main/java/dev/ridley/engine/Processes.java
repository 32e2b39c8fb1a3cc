package dev.ridley.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a client of the engine does: start processes and ask where they are. Every method is one
 * short database transaction or read; none waits for a worker.
 */
public interface Processes {

  /** The most starts one {@link #startAll} takes. */
  int MAX_START_BATCH = 1000;

  /** The longest {@link #awaitEnd} waits. */
  Duration MAX_AWAIT = Duration.ofSeconds(60);

  /**
   * Starts a process at the pipeline's first stage, atomically with its first task and journal.
   * With a customId already used in this pipeline, nothing is created: the answer is the existing
   * process, as ALREADY_EXISTS (same payload and user) or CONFLICT (another payload or user).
   *
   * @throws NotFoundException when no pipeline has that name
   * @throws InvalidRequestException when the request has no payload
   */
  StartResult start(String pipeline, StartRequest request);

  /**
   * Starts many processes of one pipeline in one transaction, each answered as its {@link #start}
   * would be, in the order given: a customId already used answers ALREADY_EXISTS or CONFLICT for
   * that item, a request without a payload is refused alone, and the others start. A customId
   * named twice in one batch starts one process; the later item answers as a repeat of the first
   * (ALREADY_EXISTS with the same payload and user, CONFLICT otherwise).
   *
   * @throws NotFoundException when no pipeline has that name
   * @throws InvalidRequestException for more than {@link #MAX_START_BATCH} requests
   */
  List<StartAnswer> startAll(String pipeline, List<StartRequest> requests);

  /**
   * Waits until the process has ended (any status but RUNNING), or {@code max} has passed, and
   * answers it as it is then. The wait is woken by the end itself, on this node or (through the
   * cross-node wake-ups) on another, and costs the database nothing while it lasts; a slow
   * re-read every {@link #AWAIT_RECHECK} covers a lost wake-up.
   *
   * @return the process, or empty when no process has that id
   * @throws InvalidRequestException when {@code max} is negative or over {@link #MAX_AWAIT}
   */
  Optional<ProcessView> awaitEnd(UUID id, Duration max) throws InterruptedException;

  /** How often waiting ends are re-read from the database, in case a wake-up was lost. */
  Duration AWAIT_RECHECK = Duration.ofSeconds(1);

  /** The process, or empty when no process has that id. */
  Optional<ProcessView> process(UUID id);

  /** One page of the processes the query matches, newest first. */
  ProcessPage search(ProcessQuery query);

  /**
   * As {@link #search(ProcessQuery)}, among the processes {@code principal} may see: those whose
   * {@code user} it is, and those it started for a user ({@link StartRequest#actor()}). The
   * restriction is part of the query, so limits and cursors count only those.
   */
  ProcessPage search(ProcessQuery query, String principal);

  /**
   * The principal that started the process for its {@code user} (a start whose actor was not its
   * user), if there was one.
   */
  Optional<String> startedBy(UUID processId);

  /**
   * The journal of a process, oldest first.
   *
   * @throws NotFoundException when no process has that id
   */
  List<JournalEvent> events(UUID processId);

  /**
   * Every attempt of a process, in the order they were enqueued.
   *
   * @throws NotFoundException when no process has that id
   */
  List<TaskView> tasks(UUID processId);

  /** One attempt by its id, if it exists (e.g. to check which stage a report is for). */
  Optional<TaskView> task(UUID taskId);
}
