package dev.ridley.engine;

/**
 * The answer to one start of a batch ({@link Processes#startAll}): what it did (CREATED,
 * ALREADY_EXISTS or CONFLICT, with the process), or why it was refused and created nothing (an
 * {@link InvalidRequestException} for a request without a payload, a {@link
 * DatabaseUnavailableException}, ...).
 */
public record StartAnswer(StartResult started, RidleyException refused) {

  public boolean applied() {
    return refused == null;
  }
}
