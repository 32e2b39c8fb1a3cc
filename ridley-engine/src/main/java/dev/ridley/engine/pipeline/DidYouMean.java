package dev.ridley.engine.pipeline;

import java.util.Collection;
import java.util.Optional;

/**
 * Suggests the closest known word for a misspelt one, so error messages can offer the fix: the
 * pipeline files' keys and names, and the HTTP API's keys and parameters.
 */
public final class DidYouMean {

  private DidYouMean() {}

  /**
   * The closest candidate, if it is close enough to be a likely typo: at most 2 edits, and fewer
   * than half the longer word, so that short words like {@code ok} do not suggest unrelated ones.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(word.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    boolean likelyTypo =
        best != null
            && bestDistance <= 2
            && bestDistance * 2 < Math.max(word.length(), best.length());
    return likelyTypo ? Optional.of(best) : Optional.empty();
  }

  /** {@code "; did you mean 'x'?"}, or an empty string when nothing is close. */
  public static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  // Levenshtein distance, with adjacent transpositions counted as one edit (hearbteat).
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
