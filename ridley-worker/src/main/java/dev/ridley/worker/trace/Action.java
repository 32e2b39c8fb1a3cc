package dev.ridley.worker.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Eliot action: something that takes time and succeeds or fails, with the actions and messages
 * logged while it runs nested under it. It logs its start message when created and its end
 * message when closed; what it logs goes to the {@link EliotLog} it came from (for a task handler:
 * back to Ridley with the result, and to the worker's log if it has one).
 *
 * <pre>{@code
 * try (Action request = task.startAction("http:request", Map.of("url", url))) {
 *   request.log("http:retrying", Map.of("after", "1s"));
 *   request.addSuccessFields(Map.of("status", 200));
 * }
 * double q = task.startAction("divide", Map.of("x", x, "y", y)).call(() -> x / y);
 * }</pre>
 *
 * <p>Java's try-with-resources does not tell {@code close()} that an exception is leaving the
 * block, so an action closed that way ends {@code succeeded} unless {@link #fail(Throwable)} was
 * called. {@link #call(Callable)} does that for you: an exception thrown by its body ends the
 * action {@code failed}, with the exception's class as {@code exception} and its message as
 * {@code reason}, and is rethrown. A task handler's own action fails by itself when the handler
 * throws.
 *
 * <p>An action started on a thread is that thread's {@linkplain #current() current action} until
 * it ends, so actions started there nest under it. Thread-safe.
 */
public final class Action implements AutoCloseable {

  private static final ThreadLocal<Action> CURRENT = new ThreadLocal<>();

  private final EliotLog log;
  private final Action parent;
  private final String taskUuid;
  private final Level level;
  private final String actionType;
  private final AtomicInteger lastChild = new AtomicInteger(1);
  private final Set<Action> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final ObjectNode successFields;
  private final Action previous;
  private final Thread thread;
  private volatile String exception;
  private volatile String reason;

  Action(EliotLog log, Action parent, String taskUuid, Level level, String actionType, Map<String, ?> fields) {
    if (actionType == null || actionType.isBlank()) {
      throw new IllegalArgumentException("an action needs a type, e.g. \"http:request\"");
    }
    this.log = log;
    this.parent = parent;
    this.taskUuid = taskUuid;
    this.level = level;
    this.actionType = actionType;
    this.successFields = log.fields(Map.of());
    log.action(taskUuid, level.child(1), actionType, "started", log.fields(fields));
    if (parent != null) parent.open.add(this);
    this.previous = CURRENT.get();
    this.thread = Thread.currentThread();
    CURRENT.set(this);
  }

  /** The innermost action started on this thread and not yet ended, if any. */
  public static Optional<Action> current() {
    Action a = CURRENT.get();
    while (a != null && a.finished.get()) a = a.previous;
    return Optional.ofNullable(a);
  }

  public String actionType() {
    return actionType;
  }

  /** The Eliot task this action belongs to: for a task handler, the process id. */
  public String taskUuid() {
    return taskUuid;
  }

  /** Starts a child action. */
  public Action startAction(String actionType) {
    return startAction(actionType, Map.of());
  }

  /**
   * Starts a child action.
   *
   * @param fields logged with its start; values are serialized with Jackson
   * @throws IllegalArgumentException when a field name is one of Eliot's own ({@code task_uuid},
   *     {@code task_level}, {@code timestamp}, {@code action_type}, {@code action_status}, {@code
   *     message_type})
   */
  public Action startAction(String actionType, Map<String, ?> fields) {
    return new Action(log, this, taskUuid, level.child(lastChild.incrementAndGet()), actionType, fields);
  }

  /** Logs a message inside this action. */
  public Action log(String messageType) {
    return log(messageType, Map.of());
  }

  /** Logs a message inside this action, e.g. {@code log("cache:miss", Map.of("key", k))}. */
  public Action log(String messageType, Map<String, ?> fields) {
    if (messageType == null || messageType.isBlank()) {
      throw new IllegalArgumentException("a message needs a type, e.g. \"cache:miss\"");
    }
    log.message(taskUuid, level.child(lastChild.incrementAndGet()), messageType, log.fields(fields));
    return this;
  }

  /** Fields for the end message, should the action succeed. */
  public Action addSuccessFields(Map<String, ?> fields) {
    ObjectNode more = log.fields(fields);
    synchronized (successFields) {
      successFields.setAll(more);
    }
    return this;
  }

  /** The action will end {@code failed}: {@code exception} is the class name, {@code reason} the message. */
  public Action fail(Throwable error) {
    return fail(error.getClass().getName(), error.getMessage() == null ? "" : error.getMessage());
  }

  /** The action will end {@code failed} with this error type and message. */
  public Action fail(String exception, String reason) {
    this.reason = reason == null ? "" : reason;
    this.exception = exception;
    return this;
  }

  /**
   * A serialized Eliot task id ({@code <task_uuid>@/2/3/4}) for a new child of this action, to
   * send to another process, which continues the task there ({@link EliotLog#continueTask}); its
   * messages then nest under this action when the logs are merged. Each call reserves another
   * child, as Eliot's {@code serialize_task_id} does.
   */
  public String serializeTaskId() {
    return taskUuid + "@" + level.child(lastChild.incrementAndGet());
  }

  /**
   * Runs {@code body} as this action's work, then ends it: {@code failed} if the body throws
   * (the exception is rethrown), else {@code succeeded}.
   */
  public <T> T call(Callable<T> body) throws Exception {
    Action before = CURRENT.get();
    CURRENT.set(this);
    try {
      return body.call();
    } catch (Exception | Error e) {
      fail(e);
      throw e;
    } finally {
      close();
      setCurrent(before == this ? previous : before);
    }
  }

  /**
   * Ends the action: {@code succeeded} with the success fields, or {@code failed} if {@link
   * #fail} was called. Children still open end first, failed, so the tree stays well formed.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!finished.compareAndSet(false, true)) return;
    for (Action child : open) {
      child.fail("ridley:unfinished", "still open when its parent action " + actionType + " ended").close();
    }
    ObjectNode fields;
    String status;
    if (exception != null) {
      fields = log.fields(Map.of("exception", exception, "reason", reason));
      status = "failed";
    } else {
      synchronized (successFields) {
        fields = successFields.deepCopy();
      }
      status = "succeeded";
    }
    log.action(taskUuid, level.child(lastChild.incrementAndGet()), actionType, status, fields);
    if (parent != null) parent.open.remove(this);
    if (thread == Thread.currentThread() && CURRENT.get() == this) {
      setCurrent(previous);
    }
  }

  /** Makes the innermost still open action of the chain current; ended ones are let go. */
  private static void setCurrent(Action a) {
    while (a != null && a.finished.get()) a = a.previous;
    if (a == null) CURRENT.remove();
    else CURRENT.set(a);
  }

  public boolean isFinished() {
    return finished.get();
  }

  @Override
  public String toString() {
    return actionType + " (" + taskUuid + "@" + level + ")";
  }
}
