/**
 * Tracing in Eliot's model: {@link dev.ridley.worker.trace.Action}s nest, log messages and end
 * succeeded or failed; an {@link dev.ridley.worker.trace.EliotLog} writes them as Eliot JSON lines
 * and continues tasks other processes started; {@link dev.ridley.worker.trace.TracedHttp} and
 * {@link dev.ridley.worker.trace.TraceHeaders} carry the trace across HTTP. Inside a task handler,
 * {@code TaskContext.action()} is where to start. See docs/TRACING.md.
 */
package dev.ridley.worker.trace;
