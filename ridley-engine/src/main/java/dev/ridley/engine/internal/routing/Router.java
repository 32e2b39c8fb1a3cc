package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.RetryPolicy;
import dev.ridley.engine.pipeline.Stage;
import dev.ridley.engine.pipeline.Target;
import java.util.Optional;

/**
 * Decides where a process goes after an attempt ends. A pure function of the pipeline, the
 * attempt and its report: no database, no clock.
 *
 * <p>Order: a failure or timeout is retried while the stage's policy allows it; then the
 * declared route for the outcome applies; an outcome with no route ends the process: {@code
 * failed} as FAILED, {@code timeout} as LOST, anything else as SUCCEEDED. Nothing is dropped.
 */
public final class Router {

  private Router() {}

  /**
   * @param input the attempt's input: a failed stage hands it on unchanged, so a failover stage
   *     receives the same message
   */
  public static Decision decide(
      Pipeline pipeline, Stage stage, int attempt, JsonNode input, Report report) {
    if (report.isFailure() && mayRetry(stage.retry(), attempt, report)) {
      return new Decision.Retry(stage.retry().backoffBefore(attempt + 1));
    }
    String via = stage.name() + "." + report.outcome();
    Optional<Target> route = pipeline.route(stage.name(), report.outcome());
    if (route.isEmpty()) {
      return switch (report.outcome()) {
        case Report.FAILED -> new Decision.End(ProcessStatus.FAILED, null, via + " (unrouted)");
        case Report.TIMEOUT ->
            new Decision.End(ProcessStatus.LOST, report.timeout(), via + " (unrouted)");
        default -> new Decision.End(ProcessStatus.SUCCEEDED, null, via + " (unrouted)");
      };
    }
    JsonNode next = report.isFailure() ? input : report.output();
    return switch (route.get()) {
      case Target.ToStage to -> new Decision.Continue(to.stage(), next, via);
      case Target.Done d -> new Decision.End(ProcessStatus.SUCCEEDED, null, via);
      case Target.Fail f -> new Decision.End(ProcessStatus.FAILED, null, via);
      case Target.Park park -> new Decision.Park(park, next, via);
    };
  }

  private static boolean mayRetry(RetryPolicy policy, int attempt, Report report) {
    if (!policy.allowsRetryAfter(attempt)) {
      return false;
    }
    if (!report.retryable()) {
      return false;
    }
    return Report.TIMEOUT.equals(report.outcome())
        || report.error() == null
        || !policy.nonRetryable().contains(report.error().type());
  }
}
