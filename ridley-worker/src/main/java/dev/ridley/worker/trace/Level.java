package dev.ridley.worker.trace;

import java.util.Arrays;

/** An Eliot task level: {@code [2, 3]}, written {@code /2/3}. Immutable. */
final class Level {

  static final Level ROOT = new Level(new int[0]);

  private final int[] parts;

  private Level(int[] parts) {
    this.parts = parts;
  }

  /**
   * @throws IllegalArgumentException unless the text is like {@code /2/3} (or {@code /})
   */
  static Level parse(String text) {
    if (text == null || !text.startsWith("/")) {
      throw new IllegalArgumentException("'" + text + "' is not a task level like /2/3");
    }
    String[] split = text.substring(1).split("/", -1);
    if (split.length == 1 && split[0].isEmpty()) return ROOT;
    int[] parts = new int[split.length];
    for (int i = 0; i < split.length; i++) {
      try {
        parts[i] = Integer.parseInt(split[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a task level like /2/3");
      }
      if (parts[i] < 1) throw new IllegalArgumentException("task levels count from 1: '" + text + "'");
    }
    return new Level(parts);
  }

  Level child(int index) {
    int[] more = Arrays.copyOf(parts, parts.length + 1);
    more[parts.length] = index;
    return new Level(more);
  }

  int[] parts() {
    return parts.clone();
  }

  @Override
  public String toString() {
    if (parts.length == 0) return "/";
    StringBuilder sb = new StringBuilder();
    for (int p : parts) sb.append('/').append(p);
    return sb.toString();
  }
}
