package dev.ridley.engine.internal;

import dev.ridley.engine.InvalidRequestException;
import dev.ridley.engine.JournalEvent;
import dev.ridley.engine.ProcessPage;
import dev.ridley.engine.ProcessQuery;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.Processes;
import dev.ridley.engine.StartRequest;
import dev.ridley.engine.StartResult;
import dev.ridley.engine.TaskView;
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
    StartResult result = parts.db().tx(c -> parts.transitions().start(c, pipeline, request));
    if (result.result() == StartResult.Result.CREATED) {
      parts.wakeUps().wake();
    }
    return result;
  }

  @Override
  public Optional<ProcessView> process(UUID id) {
    return parts.db().read(c -> ProcessRows.find(c, id));
  }

  @Override
  public ProcessPage search(ProcessQuery query) {
    List<ProcessView> rows = parts.db().read(c -> ProcessRows.search(c, query));
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
}
