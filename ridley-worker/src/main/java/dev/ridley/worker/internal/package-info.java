/** The SDK's machinery: HTTP transport, the poll loop, heartbeats and result reporting. Not API. */
package dev.ridley.worker.internal;
