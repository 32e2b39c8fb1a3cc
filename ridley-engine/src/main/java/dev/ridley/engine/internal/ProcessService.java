package dev.ridley.engine.internal;

import dev.ridley.engine.CommitOutcomeUnknownException;
import dev.ridley.engine.DatabaseUnavailableException;
import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ProcessPage;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.Processes;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.internal.store.Db;
import dev.ridley.engine.internal.store.JournalRows;
import dev.ridley.engine.internal.store.ProcessRows;
import dev.ridley.engine.internal.store.TaskRows;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Starting processes and reading them back. */
final class ProcessService implements Processes {

  private final Parts parts;

  ProcessService(Parts parts) {
    this.parts = parts;
  }

  @Override
  public StartResult start(String pipeline, StartRequest request) {
    if (request.payload() == null) {
      throw new InvalidRequestException("a process needs a payload (any JSON value, e.g. {})");
    }
    UUID id = parts.transitions().newId();
    StartResult result;
    try {
      result = parts.db().tx(c -> parts.transitions().start(c, pipeline, request, id));
    } catch (CommitOutcomeUnknownException unknown) {
      result = recheck(pipeline, request, id, unknown);
    }
    if (result.result() == StartResult.Result.CREATED) {
      parts.wakeUps().wake();
      parts.transitions().observing().started(pipeline);
    }
    return result;
  }

  /**
   * After a start whose commit's outcome is unknown: the process with the id it wrote exists when
   * that commit took effect, and the answer is CREATED. When it does not, the start did not happen
   * and is made now, with the same id (and customId, whose rules apply as for any start). When the
   * database cannot be asked, the answer is a {@link CommitOutcomeUnknownException} that says
   * whether a retry is safe.
   */
  private StartResult recheck(String pipeline, StartRequest request, UUID id, CommitOutcomeUnknownException unknown) {
    for (int tries = 1; ; tries++) {
      try {
        return parts.db().tx(c -> {
          Optional<ProcessView> written = ProcessRows.find(c, id);
          return written.isPresent()
              ? new StartResult(StartResult.Result.CREATED, written.get())
              : parts.transitions().start(c, pipeline, request, id);
        });
      } catch (DatabaseUnavailableException again) {
        if (tries < RECHECKS) {
          Db.backOff(tries);
          continue;
        }
        String retry = request.customId() != null
            ? "retrying with the same customId ('" + request.customId() + "') is safe: it answers 201 or 200 with the"
                + " one process"
            : "this start has no customId, so a retry may create a second process: look for process " + id
                + " first, or start with a customId to make retries safe";
        CommitOutcomeUnknownException answer = new CommitOutcomeUnknownException(
            "the outcome is unknown: the database connection failed while the start committed, and the database"
                + " could not be asked again; " + retry, unknown);
        answer.addSuppressed(again);
        throw answer;
      }
    }
  }

  private static final int RECHECKS = 3;

  @Override
  public Optional<ProcessView> process(UUID id) {
    return parts.db().read(c -> ProcessRows.find(c, id));
  }

  @Override
  public ProcessPage search(ProcessQuery query) {
    return search(query, null);
  }

  @Override
  public Optional<String> startedBy(UUID processId) {
    return parts.db().read(c -> ProcessRows.startedBy(c, processId));
  }

  @Override
  public ProcessPage search(ProcessQuery query, String principal) {
    List<ProcessView> rows = parts.db().read(c -> ProcessRows.search(c, query, principal));
    if (rows.size() > query.limit()) {
      List<ProcessView> page = rows.subList(0, query.limit());
      return new ProcessPage(List.copyOf(page), page.getLast().id());
    }
    return new ProcessPage(rows, null);
  }

  @Override
  public List<JournalEvent> events(UUID processId) {
    return parts.db().read(c -> {
      Parts.requireProcess(c, processId);
      return JournalRows.ofProcess(c, processId);
    });
  }

  @Override
  public List<TaskView> tasks(UUID processId) {
    return parts.db().read(c -> {
      Parts.requireProcess(c, processId);
      return TaskRows.ofProcess(c, processId);
    });
  }

  @Override
  public Optional<TaskView> task(UUID taskId) {
    return parts.db().read(c -> TaskRows.find(c, taskId));
  }
}
