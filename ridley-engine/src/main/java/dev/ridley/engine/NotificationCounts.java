package dev.ridley.engine;

/**
 * The terminal-state notifications in the outbox.
 *
 * @param pending waiting for delivery, retries included
 * @param dead given up after their last attempt, kept for an operator to see
 */
public record NotificationCounts(long pending, long dead) {}
