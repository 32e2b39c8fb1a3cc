package dev.ridley.engine;

/** What reporting an attempt changed: the ended attempt and the process after routing. */
public record TaskResult(TaskView task, ProcessView process) {}
