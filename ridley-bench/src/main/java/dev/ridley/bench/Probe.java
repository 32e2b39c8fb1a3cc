package dev.ridley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a JVM's resident memory and threads (from /proc) and heap in use (the server's
 * Prometheus metrics, or this JVM's MXBean) while a workload runs, and keeps the peaks.
 */
final class Probe implements AutoCloseable {

  /** One sample. {@code heapBytes} is -1 when it could not be read. */
  record Sample(long rssBytes, int threads, long heapBytes) {}

  private final long pid;
  private final URI metrics;
  private final HttpClient http;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("bench-probe").unstarted(r));
  private volatile long maxRss;
  private volatile int maxThreads;
  private volatile long maxHeap = -1;
  /** Samples taken by {@link #every}; the heap is read on every {@link #HEAP_EVERY}th. */
  private long rounds;

  /**
   * A server's heap comes from a scrape of its whole /metrics, which costs it CPU (a few percent of
   * a drain at two scrapes a second): read it on one sample in ten, RSS and threads on every one.
   */
  static final int HEAP_EVERY = 10;

  /**
   * @param server the server whose /metrics gives its heap, or null to read this JVM's own
   */
  Probe(long pid, URI server) {
    this.pid = pid;
    this.metrics = server == null ? null : server.resolve("/metrics");
    this.http = server == null ? null : HttpClient.newHttpClient();
  }

  Probe every(long millis) {
    timer.scheduleAtFixedRate(this::record, 0, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void record() {
    Sample s = sample(metrics == null || rounds++ % HEAP_EVERY == 0);
    maxRss = Math.max(maxRss, s.rssBytes());
    maxThreads = Math.max(maxThreads, s.threads());
    maxHeap = Math.max(maxHeap, s.heapBytes());
  }

  Sample sample() {
    return sample(true);
  }

  private Sample sample(boolean withHeap) {
    long rss = -1;
    int threads = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) rss = 1024 * Long.parseLong(line.replaceAll("\\D", ""));
        if (line.startsWith("Threads:")) threads = Integer.parseInt(line.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone: leave -1
    }
    return new Sample(rss, threads, withHeap ? heap() : -1);
  }

  private long heap() {
    if (metrics == null) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    try {
      String text =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
      long sum = 0;
      boolean any = false;
      for (String line : text.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          any = true;
        }
      }
      return any ? sum : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  long maxRssBytes() {
    return maxRss;
  }

  int maxThreads() {
    return maxThreads;
  }

  long maxHeapBytes() {
    return maxHeap;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (http != null) http.close();
  }
}
