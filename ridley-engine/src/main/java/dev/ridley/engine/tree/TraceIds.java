package dev.ridley.engine.tree;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Where each part of a process sits in its Eliot tree. The numbering is fixed by the task's place
 * in the process (its ordinal), never by what happened before it, so the id a worker receives when
 * it claims a task stays true however the process goes on:
 *
 * <pre>
 * [1]            the process's root action starts (process.started)
 * [n+1]          the action of the process's n-th task (attempt), n = 1, 2, …:
 *   [n+1, 1]       starts when the task is enqueued
 *   [n+1, 2]       "ridley:claimed": a worker claimed it
 *   [n+1, 3]       the worker's slot: what its handler logged (or a stand-in)
 *   [n+1, 4…]      timers, routing, retries, parks, cancels, in journal order
 *   [n+1, last]    the attempt's end: succeeded, or failed with exception and reason
 * [N+2…]         after the last task: anything else, then the root's end (terminal processes)
 * </pre>
 */
public final class TraceIds {

  /** The position of the worker's slot within an attempt's action. */
  public static final int WORKER_SLOT = 3;

  private TraceIds() {}

  /** The level of the action of a process's {@code ordinal}-th task. */
  public static TaskLevel attempt(int ordinal) {
    if (ordinal < 1) {
      throw new IllegalArgumentException("task ordinals start at 1, was " + ordinal);
    }
    return TaskLevel.of(ordinal + 1);
  }

  /** The level at which the worker of that task continues the process's tree. */
  public static TaskLevel workerSlot(int ordinal) {
    return attempt(ordinal).child(WORKER_SLOT);
  }

  /**
   * The serialized Eliot task id handed to the worker that claims the process's {@code
   * ordinal}-th task, e.g. {@code 0192…@/2/3}: a worker continues the task there (Eliot's {@code
   * Action.continue_task}), so what it logs nests under its attempt.
   */
  public static String forTask(UUID processId, int ordinal) {
    return processId + "@" + workerSlot(ordinal);
  }

  /**
   * The W3C {@code traceparent} of the action at a serialized Eliot id ({@code <process id>@/2/3}):
   * the trace id is the process id's 32 hex digits, the parent id {@link #spanId}, sampled. The Java
   * SDK's {@code TraceHeaders.traceparent} derives the same value.
   */
  public static String traceparent(String eliotTaskId) {
    int at = eliotTaskId.indexOf('@');
    String uuid = at < 0 ? eliotTaskId : eliotTaskId.substring(0, at);
    return "00-" + uuid.replace("-", "").toLowerCase(Locale.ROOT) + "-" + spanId(eliotTaskId) + "-01";
  }

  /**
   * The W3C span id (16 hex digits) of the action at a serialized Eliot id: its FNV-1a 64-bit hash,
   * stable across JVMs and languages; never all zeros.
   */
  public static String spanId(String eliotTaskId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : eliotTaskId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return String.format("%016x", h == 0 ? 1 : h);
  }
}
