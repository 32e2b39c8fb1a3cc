package dev.ridley.engine.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.engine.LostReason;
import dev.ridley.engine.ProcessStatus;
import dev.ridley.engine.pipeline.Target;
import java.time.Duration;

/** What the router decided after an attempt ended. */
public sealed interface Decision {

  /** Try the same stage again, with the same input, after {@code backoff}. */
  record Retry(Duration backoff) implements Decision {}

  /** Continue at {@code stage} with {@code input}. */
  record Continue(String stage, JsonNode input, String routedBy) implements Decision {}

  /** End the process. */
  record End(ProcessStatus status, LostReason lostReason, String routedBy) implements Decision {}

  /** Park the process; {@code input} is what a replay will hand to the resumed stage. */
  record Park(Target.Park options, JsonNode input, String routedBy) implements Decision {}
}
