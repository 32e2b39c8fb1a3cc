package dev.ridley.engine;

import java.util.UUID;

/** A process reached an end at journal position {@code position}. */
public record EndedProcess(long position, UUID processId) {}
