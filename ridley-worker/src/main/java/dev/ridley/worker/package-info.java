/**
 * Ridley's Java SDK: {@link dev.ridley.worker.RidleyClient} starts and finds processes, {@link
 * dev.ridley.worker.RidleyWorker} runs stage handlers. Everything else here is a value they take or
 * return. {@code dev.ridley.worker.internal} is not API and may change in any release.
 */
package dev.ridley.worker;
