package dev.ridley.server.notify;

import dev.ridley.engine.Engine;
import dev.ridley.engine.LoopHealth;
import dev.ridley.engine.Notification;
import dev.ridley.engine.ProcessView;
import dev.ridley.server.Json;
import dev.ridley.server.http.ProcessDocument;
import dev.ridley.server.loop.WatchedLoop;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers terminal-state notifications (a pipeline's {@code notify}): claims due ones from the
 * outbox the engine writes in the transaction that ends a process, POSTs the process (as {@code
 * GET /api/v1/processes/{id}} answers it) to the webhook, and tells the engine how it went. A
 * receiver that is down or answers other than 2xx is retried with an exponential backoff, up to
 * {@link Policy#maxAttempts()}; then the notification is kept as dead. Delivery is at least once:
 * each carries a {@code Ridley-Delivery-Id} that stays the same across attempts, for receivers to
 * deduplicate by. Runs on its own thread, watched in {@code /health} as {@code webhooks}.
 */
public final class WebhookDelivery implements AutoCloseable {

  public static final String DELIVERY_ID = "Ridley-Delivery-Id";
  public static final String DELIVERY_ATTEMPT = "Ridley-Delivery-Attempt";
  public static final String PROCESS_ID = "Ridley-Process-Id";
  public static final String PROCESS_STATUS = "Ridley-Process-Status";

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
  private static final int BATCH = 32;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * How deliveries are retried.
   *
   * @param timeout how long one POST may take, connection included
   * @param backoff the wait after the first failed attempt; doubled after each further one
   * @param maxBackoff the longest wait between two attempts
   * @param maxAttempts attempts before the notification is given up (kept as dead)
   */
  public record Policy(Duration timeout, Duration backoff, Duration maxBackoff, int maxAttempts) {

    /** 10 s per POST; retried after 1 s, 2 s, 4 s … up to 10 min between attempts; 15 attempts (about an hour). */
    public static final Policy DEFAULT = new Policy(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10), 15);

    public Policy {
      if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }

    /** The wait after failed attempt {@code attempt} (from 1); null when it was the last. */
    Duration retryAfter(int attempt) {
      if (attempt >= maxAttempts) return null;
      Duration wait = backoff;
      for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
      return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
  }

  private final Engine engine;
  private final Policy policy;
  private final HttpClient http;
  private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();
  private final WatchedLoop loop;

  private WebhookDelivery(Engine engine, Policy policy, Duration every) {
    this.engine = engine;
    this.policy = policy;
    this.http = HttpClient.newBuilder().connectTimeout(policy.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    this.loop = WatchedLoop.start("webhooks", engine.clock(), "ridley-webhooks", every, MAX_BACKOFF,
        () -> deliverDue() == BATCH);
  }

  /** Starts delivering, every {@code every} while there is nothing due. */
  public static WebhookDelivery start(Engine engine, Policy policy, Duration every) {
    return new WebhookDelivery(engine, policy, every);
  }

  /** Delivers the notifications due now, each batch's POSTs in parallel; returns how many were claimed. */
  int deliverDue() throws InterruptedException {
    Duration lease = policy.timeout().plusSeconds(30);
    List<Notification> due = engine.operations().claimNotifications(BATCH, lease);
    List<Future<?>> running = new ArrayList<>(due.size());
    for (Notification n : due) running.add(posts.submit(() -> deliver(n)));
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    return due.size();
  }

  private void deliver(Notification n) {
    MDC.put("processId", n.processId().toString());
    MDC.put("pipeline", n.pipeline());
    try {
      post(n);
    } finally {
      MDC.remove("processId");
      MDC.remove("pipeline");
    }
  }

  private void post(Notification n) {
    Optional<ProcessView> process = engine.processes().process(n.processId());
    if (process.isEmpty()) {
      // Deleted (retention) before it could be delivered: there is nothing left to send.
      engine.operations().notificationDelivered(n);
      return;
    }
    String problem;
    try {
      HttpRequest request = HttpRequest.newBuilder(n.url())
          .timeout(policy.timeout())
          .header("Content-Type", "application/json")
          .header("User-Agent", "Ridley")
          .header(DELIVERY_ID, n.id().toString())
          .header(DELIVERY_ATTEMPT, Integer.toString(n.attempt()))
          .header(PROCESS_ID, n.processId().toString())
          .header(PROCESS_STATUS, n.status().name())
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(ProcessDocument.of(process.get()))))
          .build();
      HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() / 100 == 2) {
        engine.operations().notificationDelivered(n);
        return;
      }
      problem = "the webhook answered " + answer.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // closing: the lease runs out and the notification is due again
    } catch (Exception e) {
      problem = "the webhook could not be reached: " + e;
    }
    Duration retry = policy.retryAfter(n.attempt());
    engine.operations().notificationFailed(n, problem, retry);
    if (retry == null) {
      log.warn("gave up notifying {} that process {} ended {} after {} attempts: {}",
          n.url(), n.processId(), n.status(), n.attempt(), problem);
    } else if (n.attempt() == 1) {
      log.info("notifying {} of process {} failed ({}); retrying with backoff", n.url(), n.processId(), problem);
    }
  }

  /** The loop's state, for {@code /health}. */
  public LoopHealth health() {
    return loop.health();
  }

  @Override
  public void close() {
    loop.close();
    posts.shutdownNow();
    http.close();
  }
}
