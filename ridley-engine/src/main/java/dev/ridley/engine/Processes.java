package dev.ridley.engine;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a client of the engine does: start processes and ask where they are. Every method is one
 * short database transaction or read; none waits for a worker.
 */
public interface Processes {

  /**
   * Starts a process at the pipeline's first stage, atomically with its first task and journal.
   * With a customId already used in this pipeline, nothing is created: the answer is the existing
   * process, as ALREADY_EXISTS (same payload and user) or CONFLICT (another payload or user).
   *
   * @throws NotFoundException when no pipeline has that name
   * @throws InvalidRequestException when the request has no payload
   */
  StartResult start(String pipeline, StartRequest request);

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
