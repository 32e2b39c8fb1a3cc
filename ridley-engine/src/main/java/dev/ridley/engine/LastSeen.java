package dev.ridley.engine;

import java.time.Instant;

/** The stage where a process was last seen moving, and when. */
public record LastSeen(String stage, Instant at) {}
