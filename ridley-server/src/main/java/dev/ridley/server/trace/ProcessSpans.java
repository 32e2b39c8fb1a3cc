package dev.ridley.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.engine.ErrorInfo;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.ProcessView;
import dev.ridley.engine.TaskStatus;
import dev.ridley.engine.TaskView;
import dev.ridley.engine.tree.ActionNode;
import dev.ridley.engine.tree.EliotMessage;
import dev.ridley.engine.tree.MessageNode;
import dev.ridley.engine.tree.ProcessTree;
import dev.ridley.engine.tree.TaskLevel;
import dev.ridley.engine.tree.TraceIds;
import dev.ridley.engine.tree.TreeNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ended process as OpenTelemetry spans: a root span for the process, a child per attempt, and
 * under each attempt the actions its worker reported, nested as they were logged. Messages become
 * events of the span they were logged in.
 *
 * <p>The trace id is the process id's 32 hex digits, and a span's id is the FNV-1a hash of its
 * serialized Eliot id ({@code <process id>@/2/3}): the same rule the Java SDK's {@code
 * TraceHeaders.traceparent} uses, so the {@code traceparent} a worker got for its handler names the
 * handler's span here, and the worker's own OpenTelemetry spans nest under it.
 */
final class ProcessSpans {

  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.ridley.server");

  private final ProcessView process;
  private final String traceId;
  private final String uuid;
  private final Resource resource;
  private final Map<Integer, TaskView> byOrdinal = new HashMap<>();
  private final List<SpanData> out = new ArrayList<>();

  private ProcessSpans(ProcessView process, List<TaskView> tasks, Resource resource) {
    this.process = process;
    this.uuid = process.id().toString();
    this.traceId = traceId(uuid);
    this.resource = resource;
    tasks.forEach(t -> byOrdinal.put(t.ordinal(), t));
  }

  /** The spans of an ended process, root first. */
  static List<SpanData> of(ProcessView process, List<TaskView> tasks, ProcessTree tree, Resource resource) {
    ProcessSpans spans = new ProcessSpans(process, tasks, resource);
    spans.root(tree.tree().root());
    return spans.out;
  }

  /** The W3C trace id of a process: its UUID's hex digits. */
  static String traceId(String processId) {
    return processId.replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** The span id of the action at {@code level} of a process's tree. */
  static String spanId(String processId, TaskLevel level) {
    return TraceIds.spanId(processId + "@" + level);
  }

  private void root(TreeNode node) {
    SpanContext ctx = context(TaskLevel.ROOT);
    List<EventData> events = new ArrayList<>();
    ActionNode root = node instanceof ActionNode a ? a : null;
    if (root != null) {
      for (TreeNode child : root.children()) {
        if (child instanceof ActionNode attempt && attempt.level().depth() == 1) {
          attempt(attempt, ctx);
        } else {
          walk(child, ctx, events);
        }
      }
    }
    AttributesBuilder a = Attributes.builder()
        .put("ridley.process.id", uuid)
        .put("ridley.pipeline", process.pipeline())
        .put("ridley.process.status", process.status().name())
        .put("ridley.process.attempts", process.attempts());
    if (process.customId() != null) a.put("ridley.process.custom_id", process.customId());
    if (process.user() != null) a.put("ridley.process.user", process.user());
    if (process.lostReason() != null) a.put("ridley.process.lost_reason", process.lostReason().name());
    StatusData status = switch (process.status()) {
      case SUCCEEDED -> StatusData.ok();
      case FAILED -> StatusData.create(StatusCode.ERROR, process.error() == null ? "failed" : describe(process.error()));
      case LOST -> StatusData.create(StatusCode.ERROR, "lost: " + process.lostReason());
      case PARKED -> StatusData.create(StatusCode.ERROR, "parked");
      default -> StatusData.unset();
    };
    if (process.status() == ProcessStatus.FAILED && process.error() != null) events.add(exception(process.error(), end()));
    long start = nanos(process.createdAt());
    String name = root != null && root.actionType() != null ? root.actionType() : "ridley:pipeline:" + process.pipeline();
    out.add(0, span(name, ctx, SpanContext.getInvalid(), start, Math.max(start, nanos(end())), a.build(), events, status));
  }

  private void attempt(ActionNode node, SpanContext parent) {
    TaskLevel level = node.level();
    int ordinal = level.last() - 1;
    TaskView task = byOrdinal.get(ordinal);
    SpanContext ctx = context(level);
    List<EventData> events = new ArrayList<>();
    TaskLevel slot = TraceIds.workerSlot(ordinal);
    boolean slotTraced = false;
    for (TreeNode child : node.children()) {
      if (child instanceof ActionNode a && a.level().equals(slot)) slotTraced = true;
      walk(child, ctx, events);
    }
    long start = node.start() != null ? micros(node.start())
        : task != null ? nanos(task.enqueuedAt()) : nanos(process.createdAt());
    long end = node.end() != null ? micros(node.end()) : task != null && task.finishedAt() != null
        ? nanos(task.finishedAt()) : nanos(end());
    AttributesBuilder a = Attributes.builder();
    StatusData status = StatusData.unset();
    if (task != null) {
      a.put("ridley.task.id", task.id().toString())
          .put("ridley.stage", task.stage())
          .put("ridley.attempt", task.attempt())
          .put("ridley.task.status", task.status().name());
      if (task.worker() != null) a.put("ridley.worker", task.worker());
      if (task.outcome() != null) a.put("ridley.outcome", task.outcome());
      if (task.status() == TaskStatus.SUCCEEDED) status = StatusData.ok();
      if (task.error() != null) {
        status = StatusData.create(StatusCode.ERROR, describe(task.error()));
        events.add(exception(task.error(), task.finishedAt() != null ? task.finishedAt() : end()));
      } else if (task.status() == TaskStatus.TIMED_OUT || task.status() == TaskStatus.FAILED) {
        status = StatusData.create(StatusCode.ERROR, task.status().name().toLowerCase(Locale.ROOT));
      }
      if (!slotTraced && task.polledAt() != null) {
        // The worker reported no trace: its handler still gets a span at the id its traceparent named.
        long claimed = nanos(task.polledAt());
        long done = task.finishedAt() != null ? nanos(task.finishedAt()) : end;
        Attributes h = task.worker() == null
            ? Attributes.empty() : Attributes.of(AttributeKey.stringKey("ridley.worker"), task.worker());
        out.add(span("ridley:handler", context(slot), ctx, claimed, Math.max(claimed, done), h, List.of(),
            StatusData.unset()));
      }
    }
    String name = node.actionType() != null ? node.actionType() : "ridley:stage:" + (task == null ? "unknown" : task.stage());
    out.add(span(name, ctx, parent, start, Math.max(start, end), a.build(), events, status));
  }

  /** An action becomes a span under {@code parent}, a message an event of the span it is in. */
  private void walk(TreeNode node, SpanContext parent, List<EventData> parentEvents) {
    if (node instanceof MessageNode m) {
      EliotMessage msg = m.message();
      parentEvents.add(EventData.create(micros(msg), msg.type() == null ? "message" : msg.type(), fields(msg.fields())));
      return;
    }
    ActionNode action = (ActionNode) node;
    SpanContext ctx = context(action.level());
    List<EventData> events = new ArrayList<>();
    for (TreeNode child : action.children()) walk(child, ctx, events);
    AttributesBuilder a = Attributes.builder();
    if (action.start() != null) a.putAll(fields(action.start().fields()));
    StatusData status = StatusData.unset();
    if (action.end() != null) {
      a.putAll(fields(action.end().fields()));
      if (EliotMessage.FAILED.equals(action.end().actionStatus())) {
        JsonNode type = action.end().json().get(EliotMessage.EXCEPTION);
        JsonNode reason = action.end().json().get(EliotMessage.REASON);
        String message = reason == null ? "" : reason.asText();
        status = StatusData.create(StatusCode.ERROR, message);
        events.add(EventData.create(micros(action.end()), "exception", Attributes.builder()
            .put("exception.type", type == null ? "" : type.asText())
            .put("exception.message", message).build()));
      } else {
        status = StatusData.ok();
      }
    }
    long start = action.start() != null ? micros(action.start()) : (long) (action.firstTimestamp() * 1e9);
    long end = action.end() != null ? micros(action.end()) : start;
    String name = action.actionType() == null ? "action" : action.actionType();
    out.add(span(name, ctx, parent, start, Math.max(start, end), a.build(), events, status));
  }

  private RecordedSpan span(String name, SpanContext ctx, SpanContext parent, long start, long end, Attributes attributes,
      List<EventData> events, StatusData status) {
    return new RecordedSpan(name, ctx, parent, start, end, attributes, List.copyOf(events), status, resource, SCOPE);
  }

  private SpanContext context(TaskLevel level) {
    return SpanContext.create(traceId, spanId(uuid, level), TraceFlags.getSampled(), TraceState.getDefault());
  }

  private Instant end() {
    return process.finishedAt() != null ? process.finishedAt() : process.lastSeen() != null && process.lastSeen().at() != null
        ? process.lastSeen().at() : process.createdAt();
  }

  private static EventData exception(ErrorInfo error, Instant at) {
    AttributesBuilder a = Attributes.builder()
        .put("exception.type", error.type() == null ? "" : error.type())
        .put("exception.message", error.message() == null ? "" : error.message());
    if (error.stack() != null) a.put("exception.stacktrace", error.stack());
    return EventData.create(nanos(at), "exception", a.build());
  }

  private static String describe(ErrorInfo error) {
    return error.message() == null || error.message().isEmpty() ? error.type() : error.type() + ": " + error.message();
  }

  /** A message's own fields as attributes: strings, numbers and booleans as they are, the rest as JSON. */
  private static Attributes fields(ObjectNode fields) {
    AttributesBuilder a = Attributes.builder();
    fields.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (v.isTextual()) a.put(e.getKey(), v.asText());
      else if (v.isIntegralNumber() && v.canConvertToLong()) a.put(e.getKey(), v.asLong());
      else if (v.isNumber()) a.put(e.getKey(), v.asDouble());
      else if (v.isBoolean()) a.put(e.getKey(), v.asBoolean());
      else if (!v.isNull()) a.put(e.getKey(), v.toString());
    });
    return a.build();
  }

  private static long micros(EliotMessage m) {
    return nanos(m.at());
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
