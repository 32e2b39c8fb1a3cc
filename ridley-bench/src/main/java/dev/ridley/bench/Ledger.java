package dev.ridley.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What the handlers saw, kept the way the peers' harness keeps it: one counter per stage and
 * message, so "every message passed every stage exactly once" is checked from the workers' side,
 * not taken from the engine's word. Times are {@link System#nanoTime()} of this JVM.
 */
final class Ledger {

  private final int messages;
  private final int stages;
  private final AtomicIntegerArray[] runs;
  private final long[] startedAt;
  private final long[] handledAt;
  private final long[] terminalAt;
  private final long[] answeredAt;
  private final long[] receivedAt;
  /** One moment on both clocks, to turn this JVM's nano times into wall-clock times. */
  private final long anchorNanos = System.nanoTime();
  private final java.time.Instant anchorWall = java.time.Instant.now();
  private final CountDownLatch lastStageRan;
  private final CountDownLatch ended;
  private volatile long lastHandledAt;

  Ledger(int messages, int stages) {
    this.messages = messages;
    this.stages = stages;
    this.runs = new AtomicIntegerArray[stages];
    for (int s = 0; s < stages; s++) runs[s] = new AtomicIntegerArray(messages);
    this.startedAt = new long[messages];
    this.handledAt = new long[messages];
    this.terminalAt = new long[messages];
    this.answeredAt = new long[messages];
    this.receivedAt = new long[messages];
    this.lastStageRan = new CountDownLatch(messages);
    this.ended = new CountDownLatch(messages);
  }

  int messages() {
    return messages;
  }

  /** Just before the start call of message {@code i}. */
  void starting(int i) {
    startedAt[i] = System.nanoTime();
  }

  /** The start call of message {@code i} returned (its commit is done). */
  void answered(int i) {
    answeredAt[i] = System.nanoTime();
  }

  /** A poll answer carrying the last stage's task of message {@code i} reached the worker. */
  void received(int i) {
    receivedAt[i] = System.nanoTime();
  }

  /** Wall-clock time of a nano time of this JVM (the server's stored times are wall-clock). */
  java.time.Instant wall(long nanos) {
    return anchorWall.plusNanos(nanos - anchorNanos);
  }

  long startedAt(int i) {
    return startedAt[i];
  }

  long answeredAt(int i) {
    return answeredAt[i];
  }

  long receivedAt(int i) {
    return receivedAt[i];
  }

  long handledAt(int i) {
    return handledAt[i];
  }

  /** First thing in every handler; {@code stage} counts from 1. */
  void ran(int stage, int i) {
    long now = System.nanoTime();
    if (runs[stage - 1].incrementAndGet(i) != 1 || stage != stages) return;
    handledAt[i] = now;
    lastHandledAt = now;
    lastStageRan.countDown();
  }

  /** The worker's report of the last stage was accepted: the process is terminal. */
  void ended(int i) {
    terminalAt[i] = System.nanoTime();
    ended.countDown();
  }

  boolean awaitLastStage(long timeout, TimeUnit unit) throws InterruptedException {
    return lastStageRan.await(timeout, unit);
  }

  boolean awaitEnded(long timeout, TimeUnit unit) throws InterruptedException {
    return ended.await(timeout, unit);
  }

  long unfinished() {
    return lastStageRan.getCount();
  }

  long lastHandledAt() {
    return lastHandledAt;
  }

  /** Start-to-handler (last stage) latencies in ms, sorted. */
  double[] toHandlerMs() {
    return sortedMs(handledAt);
  }

  /** Start-to-terminal latencies in ms, sorted. */
  double[] toTerminalMs() {
    return sortedMs(terminalAt);
  }

  /**
   * Start-to-terminal latencies in ms, sorted, of the processes that ended from {@code fromNanos}
   * (inclusive) to {@code toNanos} (exclusive), {@link System#nanoTime()} of this JVM: one interval
   * of a long run. Reads the end times other threads write without a lock; one written during the
   * read may fall in this interval or the next, which a sampled figure tolerates.
   */
  double[] toTerminalMsEndedBetween(long fromNanos, long toNanos) {
    double[] ms = new double[64];
    int n = 0;
    for (int i = 0; i < messages; i++) {
      long at = terminalAt[i];
      if (at == 0 || at - fromNanos < 0 || at - toNanos >= 0) continue;
      if (n == ms.length) ms = java.util.Arrays.copyOf(ms, n * 2);
      ms[n++] = (at - startedAt[i]) / 1e6;
    }
    ms = java.util.Arrays.copyOf(ms, n);
    java.util.Arrays.sort(ms);
    return ms;
  }

  private double[] sortedMs(long[] at) {
    double[] ms = new double[messages];
    for (int i = 0; i < messages; i++) ms[i] = (at[i] - startedAt[i]) / 1e6;
    java.util.Arrays.sort(ms);
    return ms;
  }

  /** Throws unless every message ran exactly once in every stage. */
  void verify() {
    StringBuilder err = new StringBuilder();
    for (int s = 0; s < stages; s++) {
      int missing = 0, dup = 0, firstBad = -1;
      for (int i = 0; i < messages; i++) {
        int c = runs[s].get(i);
        if (c == 1) continue;
        if (c == 0) missing++;
        else dup++;
        if (firstBad < 0) firstBad = i;
      }
      if (missing + dup > 0) {
        err.append(String.format("stage %d: %d missing, %d duplicated (first bad message %d); ",
            s + 1, missing, dup, firstBad));
      }
    }
    if (!err.isEmpty()) throw new BenchException("validation failed: " + err);
  }

  static double percentile(double[] sorted, double p) {
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }
}
