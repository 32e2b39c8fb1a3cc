package dev.ridley.worker;

import java.util.List;

/**
 * One page of a search.
 *
 * @param nextCursor pass it to {@link ProcessQuery#withCursor(String)} for the next page; null on
 *     the last page
 */
public record ProcessPage(List<ProcessInfo> items, String nextCursor) {

  public ProcessPage {
    items = List.copyOf(items);
  }

  public boolean hasMore() {
    return nextCursor != null;
  }
}
