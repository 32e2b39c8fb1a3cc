package dev.ridley.engine.pipeline;

/** {@code stage.outcome -> target}. */
public record Route(String stage, String outcome, Target target) {

  @Override
  public String toString() {
    return stage + "." + outcome + " -> " + target;
  }
}
