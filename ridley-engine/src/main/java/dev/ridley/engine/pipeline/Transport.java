package dev.ridley.engine.pipeline;

import java.util.Locale;

/**
 * How a stage's tasks reach workers. Whatever the transport, the database decides: a task row is
 * written in the transition's transaction, and a broker only carries a copy of it.
 */
public enum Transport {
  /** Workers long-poll {@code /api/v1/tasks/poll} (the default). */
  HTTP,
  /**
   * Tasks are published to the RabbitMQ queue {@code ridley.tasks.<pipeline>.<stage>} from a
   * transactional outbox; workers send results to {@code ridley.results}. HTTP polls never hand
   * these tasks out; HTTP reports and heartbeats for them are accepted.
   */
  AMQP;

  /** As pipeline files write it: {@code http} or {@code amqp}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The transport a pipeline file names, or null when the name is none of them. */
  static Transport parse(String key) {
    for (Transport t : values()) {
      if (t.key().equals(key)) return t;
    }
    return null;
  }
}
