package dev.ridley.engine.internal.routing;

/**
 * Called between the statements of a transition. Production code passes {@link #NONE}; tests
 * throw from a chosen step to prove that a transition interrupted anywhere leaves no half state.
 */
@FunctionalInterface
public interface Checkpoint {

  Checkpoint NONE = step -> {};

  void reached(String step);
}
