package dev.ridley.engine;

import java.util.List;
import java.util.UUID;

/** One page of a search; {@code nextCursor} is null on the last page. */
public record ProcessPage(List<ProcessView> items, UUID nextCursor) {}
