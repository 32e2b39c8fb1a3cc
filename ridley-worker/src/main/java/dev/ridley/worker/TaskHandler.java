package dev.ridley.worker;

/**
 * The code that runs one stage. It is called on its own virtual thread, once per task attempt.
 *
 * <p>What it returns is reported as the {@code ok} outcome's output (serialized with Jackson; null
 * is allowed), unless it returns an {@link Outcome}, which is reported as is. An exception is
 * reported as a failed attempt, retryable by the stage's retry policy, with the exception's class
 * name, message and stack trace.
 *
 * <p>A task may be delivered more than once (after a timeout, or when the worker lost contact), so
 * a handler's side effects should be idempotent per process and stage.
 */
@FunctionalInterface
public interface TaskHandler {
  Object handle(TaskContext task) throws Exception;
}
