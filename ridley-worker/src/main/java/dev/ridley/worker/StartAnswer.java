package dev.ridley.worker;

import java.util.Optional;

/**
 * The answer to one start of {@link RidleyClient#startAll}: the HTTP status its single start would
 * have had (201 CREATED, 200 ALREADY_EXISTS, 409 CONFLICT, 400 not a valid start, 503 the database
 * was unavailable) with what it did, or why it was refused.
 *
 * @param status the status the item's single start would have answered
 * @param started what the start did, for 201, 200 and 409; null otherwise
 * @param detail why the item was refused, or for a conflict which process holds the customId
 */
public record StartAnswer(int status, StartResult started, String detail) {

  /** What the start did, when it was a start at all (CREATED, ALREADY_EXISTS or CONFLICT). */
  public Optional<StartResult> result() {
    return Optional.ofNullable(started);
  }
}
