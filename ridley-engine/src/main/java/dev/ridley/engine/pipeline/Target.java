package dev.ridley.engine.pipeline;

import java.time.Duration;

/** Where a route sends a process: another stage, or one of the terminal targets. */
public sealed interface Target {

  /** Continue at a stage of the same pipeline; its input is the outcome's output. */
  record ToStage(String stage) implements Target {
    @Override
    public String toString() {
      return stage;
    }
  }

  /** End the process SUCCEEDED with the outcome's output. */
  record Done() implements Target {
    @Override
    public String toString() {
      return "@done";
    }
  }

  /** End the process FAILED. */
  record Fail() implements Target {
    @Override
    public String toString() {
      return "@fail";
    }
  }

  /**
   * Park the process: kept, visible, replayable.
   *
   * @param replayAfter replay automatically once the stage has been quiet this long; null: never
   * @param to the stage to resume at; null: the stage that parked it
   * @param maxReplays automatic replays before the process stays parked for a person; null:
   *     unlimited
   */
  record Park(Duration replayAfter, String to, Integer maxReplays) implements Target {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("@park");
      StringBuilder opts = new StringBuilder();
      if (replayAfter != null) opts.append("replayAfter=").append(Durations.format(replayAfter));
      if (to != null) opts.append(opts.isEmpty() ? "" : ", ").append("to=").append(to);
      if (maxReplays != null) opts.append(opts.isEmpty() ? "" : ", ").append("maxReplays=").append(maxReplays);
      if (!opts.isEmpty()) sb.append('(').append(opts).append(')');
      return sb.toString();
    }
  }

  Done DONE = new Done();
  Fail FAIL = new Fail();
}
