package dev.ridley.worker.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/** The only class that touches the OpenTelemetry API; loaded only when {@link HandlerSpan} found it. */
final class OtelContext {

  private OtelContext() {}

  static AutoCloseable enter(String traceId, String spanId) {
    SpanContext remote = SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    if (!remote.isValid()) return () -> {};
    Scope scope = Context.root().with(Span.wrap(remote)).makeCurrent();
    return scope::close;
  }
}
