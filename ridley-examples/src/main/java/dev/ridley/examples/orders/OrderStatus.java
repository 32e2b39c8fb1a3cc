package dev.ridley.examples.orders;

/**
 * A work unit's status as a person asks for it, read from two fields of the API: the process's
 * {@code status} ({@code GET /api/v1/processes/{id}}) and, while it runs, the status of its
 * current attempt (the last item of {@code GET /api/v1/processes/{id}/tasks}).
 */
public enum OrderStatus {
  /** Started, waiting for an agent (its attempt is QUEUED, e.g. held back by maxInFlight). */
  QUEUED,
  /** An agent has it (its attempt is RUNNING). */
  PROCESSING,
  /** Ended without success: FAILED, LOST or CANCELLED. */
  ERROR,
  /** SUCCEEDED. */
  SUCCESS;

  /**
   * @param processStatus the process's status, e.g. {@code RUNNING}
   * @param attemptStatus the status of its latest attempt, e.g. {@code QUEUED}; only read while
   *     the process runs
   */
  public static OrderStatus of(String processStatus, String attemptStatus) {
    return switch (processStatus) {
      case "SUCCEEDED" -> SUCCESS;
      case "RUNNING", "PARKED" -> "RUNNING".equals(attemptStatus) ? PROCESSING : QUEUED;
      default -> ERROR;
    };
  }

  public boolean terminal() {
    return this == ERROR || this == SUCCESS;
  }
}
