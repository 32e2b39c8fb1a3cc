package dev.ridley.worker.internal;

import dev.ridley.worker.trace.TraceHeaders;

/**
 * Makes the task's trace the current OpenTelemetry context while its handler runs, when the
 * OpenTelemetry API is on the classpath (the SDK does not depend on it: it is an optional
 * dependency the application brings). A span the handler starts then joins the process's trace,
 * as a child of the handler's span in the trace the server exports. Without the API, nothing
 * happens.
 */
final class HandlerSpan {

  private static final boolean OTEL_PRESENT = present();

  private HandlerSpan() {}

  /** Enters the task's context; closing the result leaves it. */
  static AutoCloseable enter(PolledTask task) {
    if (!OTEL_PRESENT || task.traceId() == null) return () -> {};
    String traceparent = TraceHeaders.traceparent(task.traceId());
    return OtelContext.enter(traceparent.substring(3, 35), traceparent.substring(36, 52));
  }

  private static boolean present() {
    try {
      Class.forName("io.opentelemetry.context.Context", false, HandlerSpan.class.getClassLoader());
      Class.forName("io.opentelemetry.api.trace.Span", false, HandlerSpan.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }
}
