package dev.ridley.worker.internal;

import dev.ridley.worker.ErrorInfo;
import dev.ridley.worker.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Runs one attempt: heartbeats while the handler works, then reports what it produced. */
final class TaskRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(1);

  /** Where an attempt's heartbeats and result go: the HTTP server, or a broker. */
  interface Replies {
    /** Starts heartbeating the attempt every {@code interval} until the returned beat is stopped. */
    Beat heartbeats(DefaultTaskContext task, Duration interval);

    /** Sends the attempt's result; never throws (a result that cannot be sent is logged). */
    void send(DefaultTaskContext task, Report report);
  }

  /** A running heartbeat. */
  interface Beat {
    /** Ends the heartbeats and waits for one in flight. */
    void stop();
  }

  private final WorkerSettings settings;
  private final Replies replies;
  private final BooleanSupplier forcedStop;
  private final Set<String> warnedStages = ConcurrentHashMap.newKeySet();

  /**
   * @param forcedStop true once the worker's close ran out of patience and interrupted handlers
   */
  TaskRunner(WorkerSettings settings, Transport transport, BooleanSupplier forcedStop) {
    this(settings, overHttp(transport), forcedStop);
  }

  TaskRunner(WorkerSettings settings, Replies replies, BooleanSupplier forcedStop) {
    this.settings = settings;
    this.replies = replies;
    this.forcedStop = forcedStop;
  }

  /** Heartbeats and results as HTTP requests to the server. */
  private static Replies overHttp(Transport transport) {
    Reporter reporter = new Reporter(transport);
    Outage outage = new Outage(LOG, "heartbeats to " + transport.base());
    return new Replies() {
      @Override
      public Beat heartbeats(DefaultTaskContext task, Duration interval) {
        return Heartbeat.start(task, transport, interval, outage)::stop;
      }

      @Override
      public void send(DefaultTaskContext task, Report report) {
        reporter.send(task, report);
      }
    };
  }

  void run(PolledTask polled) {
    try (TaskMdc ids = TaskMdc.put(polled)) {
      runWithIds(polled);
    }
  }

  /** The handler's log lines, and the SDK's about this attempt, carry the task's ids. */
  private void runWithIds(PolledTask polled) {
    HandlerTrace trace = new HandlerTrace(polled, settings.workerId(), settings.traceLog());
    DefaultTaskContext task = new DefaultTaskContext(polled, settings.mapper(), trace);
    TaskHandler handler = settings.handlers().get(polled.stage());
    if (handler == null) {
      // The server handed out a stage we did not ask for; failing it retryably lets a worker
      // that has the handler take it, instead of waiting for a timeout.
      String message =
          "worker " + settings.workerId() + " has no handler for stage " + polled.stage();
      replies.send(
          task, Report.fail(ErrorInfo.of("java.lang.IllegalStateException", message), true));
      return;
    }
    Beat heartbeat = replies.heartbeats(task, interval(polled));
    Report report;
    trace.begin();
    try (AutoCloseable otel = HandlerSpan.enter(polled)) {
      report = Report.of(handler.handle(task), settings.mapper());
    } catch (InterruptedException e) {
      if (forcedStop.getAsBoolean()) {
        // Reporting "failed" would route the process as if its handler had failed; the attempt
        // was cut short by our own shutdown, so the engine's timeout redelivers it instead.
        LOG.info(task + ": interrupted by the worker's close; not reporting it");
        trace.end(Report.fail(ErrorInfo.of(e), true));
        return;
      }
      report = Report.fail(ErrorInfo.of(e), true);
    } catch (Throwable e) {
      // An Error (StackOverflowError, NoClassDefFoundError…) is still this attempt's failure;
      // reporting it beats leaving the engine to wait for a timeout.
      report = Report.fail(ErrorInfo.of(e), true);
    } finally {
      heartbeat.stop();
    }
    trace.end(report);
    report = report.withActions(trace.actionsIfUsed());
    // An interrupt aimed at the handler must not abort sending its result.
    boolean interrupted = Thread.interrupted();
    try {
      replies.send(task, report);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The configured interval if any, else a third of the stage's heartbeat timeout, so two
   * heartbeats can be lost before the engine gives up on the attempt.
   */
  private Duration interval(PolledTask task) {
    Duration timeout = task.heartbeatTimeout();
    Duration configured = settings.heartbeatInterval();
    if (configured != null) {
      if (timeout != null && configured.compareTo(timeout) >= 0 && warnedStages.add(task.stage())) {
        LOG.warn("heartbeatInterval "
                + configured
                + " is not shorter than the "
                + "heartbeat timeout "
                + timeout
                + " of stage "
                + task.stage()
                + "; its tasks will time out while they run");
      }
      return configured;
    }
    if (timeout == null) {
      return WorkerSettings.DEFAULT_HEARTBEAT_INTERVAL;
    }
    Duration third = timeout.dividedBy(3);
    return third.compareTo(MIN_HEARTBEAT_INTERVAL) < 0 ? MIN_HEARTBEAT_INTERVAL : third;
  }
}
