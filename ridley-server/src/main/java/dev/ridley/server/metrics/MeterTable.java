package dev.ridley.server.metrics;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters by up to three label values, registered on first use. Finding one that exists reads
 * three maps and allocates nothing (no key object, no lambda), so the hot path's metric updates
 * cost a few hash lookups and the meter's own atomic add.
 */
final class MeterTable<M> {

  /** Registers the meter of one label set; called once per set. */
  @FunctionalInterface
  interface Factory<M> {
    M create(String a, String b, String c);
  }

  private final Factory<M> factory;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, M>>> meters =
      new ConcurrentHashMap<>();

  MeterTable(Factory<M> factory) {
    this.factory = factory;
  }

  /** The meter of labels {@code a}, {@code b}, {@code c} (use "" for a label the meter does not have). */
  M get(String a, String b, String c) {
    ConcurrentHashMap<String, ConcurrentHashMap<String, M>> byB = meters.get(a);
    if (byB == null) byB = meters.computeIfAbsent(a, k -> new ConcurrentHashMap<>());
    ConcurrentHashMap<String, M> byC = byB.get(b);
    if (byC == null) byC = byB.computeIfAbsent(b, k -> new ConcurrentHashMap<>());
    M m = byC.get(c);
    if (m == null) m = byC.computeIfAbsent(c, k -> factory.create(a, b, c));
    return m;
  }
}
