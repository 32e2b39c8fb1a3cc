package dev.ridley.engine.pipeline;

import dev.ridley.engine.ProcessStatus;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * A pipeline's terminal-state webhook ({@code notify: {url: ..., on: [FAILED, LOST]}}): when one of
 * its processes ends in a status of {@code on}, the transaction that ends it also writes a
 * notification, and the server POSTs the process to {@code url} until the receiver answers 2xx
 * (at least once; see docs/NOTIFY.md).
 *
 * @param url an absolute {@code http} or {@code https} URL
 * @param on the statuses that notify: any of SUCCEEDED, FAILED, LOST, CANCELLED, PARKED; never empty
 */
public record Webhook(URI url, Set<ProcessStatus> on) {

  /** The statuses a process can end in (PARKED counts: it waits for an operator). */
  public static final Set<ProcessStatus> ENDS = Set.copyOf(EnumSet.complementOf(EnumSet.of(ProcessStatus.RUNNING)));

  /** What {@code on} is when the file leaves it out: the ends nobody would otherwise hear of. */
  public static final Set<ProcessStatus> DEFAULT_ON = Set.of(ProcessStatus.FAILED, ProcessStatus.LOST);

  public Webhook {
    if (url == null || url.getScheme() == null || url.getHost() == null
        || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("notify url must be an absolute http or https URL, was " + url);
    }
    if (on == null || on.isEmpty()) {
      throw new IllegalArgumentException("notify needs at least one status in 'on'");
    }
    if (!ENDS.containsAll(on)) {
      throw new IllegalArgumentException("notify 'on' takes only " + ENDS + ", was " + on);
    }
    on = Set.copyOf(on);
  }

  /** Whether a process that moved to {@code status} is notified. */
  public boolean notifies(ProcessStatus status) {
    return on.contains(status);
  }
}
