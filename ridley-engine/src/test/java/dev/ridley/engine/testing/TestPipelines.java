package dev.ridley.engine.testing;

/**
 * Pipelines several engine tests run, written once. A pipeline only one test needs stays in that
 * test, next to what it checks.
 */
public final class TestPipelines {

  private TestPipelines() {}

  /**
   * Two stages in a row: a claimed {@code first} is lost after 5 s without a heartbeat, a queued
   * {@code second} after 3 s without a poll.
   */
  public static final String FLOW =
      """
      name: flow
      stages:
        first: {timeouts: {heartbeat: 5s}}
        second: {timeouts: {enqueueToPoll: 3s}}
      routes:
        - first.ok -> second
      """;

  /**
   * Divides, then {@code ocean} on success or {@code errors} on failure; an ArithmeticException is
   * not retried, anything else is retried once.
   */
  public static final String DIVIDE =
      """
      name: divide
      defaults:
        retry: {attempts: 2, backoff: 1ms, nonRetryable: [java.lang.ArithmeticException]}
      stages:
        divide: {}
        ocean: {}
        errors: {}
      routes:
        - divide.ok -> ocean
        - divide.failed -> errors
        - ocean.ok -> @done
        - errors.ok -> @fail
      """;

  /** One stage whose claimed task times out after 5 s without a heartbeat, retried once 1 s later. */
  public static final String HEARTBEAT =
      """
      name: hb
      stages:
        hb: {timeouts: {heartbeat: 5s}, retry: {attempts: 2, backoff: 1s}}
      """;

  /** One stage whose queued task is lost after 3 s that nobody polls. */
  public static final String UNCLAIMED =
      """
      name: e2p
      stages:
        e2p: {timeouts: {enqueueToPoll: 3s}}
      """;
}
