package dev.ridley.worker;

/**
 * The one exception of this SDK: the server refused a request, answered something this SDK does not
 * understand, or could not be reached.
 */
public class RidleyClientException extends RuntimeException {

  private final int status;
  private final String problemType;
  private final String detail;

  /**
   * @param status the HTTP status, or 0 when there was no answer
   * @param problemType the problem's {@code type} URI, or null
   * @param detail the problem's {@code detail}, or null
   */
  public RidleyClientException(
      String message, int status, String problemType, String detail, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.problemType = problemType;
    this.detail = detail;
  }

  /** The HTTP status, or 0 when the server gave no answer (unreachable, timed out). */
  public int status() {
    return status;
  }

  /** The {@code type} of the server's problem+json answer, or null. */
  public String problemType() {
    return problemType;
  }

  /** The {@code detail} of the server's problem+json answer, or null. */
  public String detail() {
    return detail;
  }
}
