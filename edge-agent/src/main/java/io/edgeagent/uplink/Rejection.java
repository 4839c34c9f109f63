package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;

/**
 * An event the target refused for good (too large, a topic name it can never accept): sending it again would fail
 * again, so it becomes a dead letter with the reason instead of blocking the outbox.
 *
 * @param destination where it was sent, for the dead letter's topic column (e.g. {@code kafka:edge-events})
 */
public record Rejection(BufferedEvent event, String destination, String reason) {
}
