package io.edgeagent.uplink;

/**
 * A snapshot of the uplink for status and metrics.
 *
 * @param target            type and URL, without credentials
 * @param connected         whether the target was reachable at the last attempt (MQTT: the link is up)
 * @param sentEvents        events confirmed by the target and removed from the buffer since start
 * @param sentBatches       batches confirmed since start
 * @param sentBytes         bytes on the wire (after gzip) of confirmed batches
 * @param failedAttempts    sends that failed since start (each is retried)
 * @param consecutiveFailures failures since the last success; 0 when healthy
 * @param lastError         the last failure's message, "" when none yet
 * @param lastSuccessTime   epoch ms of the last confirmed batch, 0 when none yet
 * @param eventsPerSecond   drain rate over the last {@value Uplink#RATE_WINDOW_SECONDS} seconds
 * @param rejectedEvents    events the target refused for good (Kafka: too large; HTTP: refused on their own),
 *                          kept as dead letters
 */
public record UplinkStats(String target, boolean connected, long sentEvents, long sentBatches, long sentBytes,
                          long failedAttempts, long consecutiveFailures, String lastError, long lastSuccessTime,
                          double eventsPerSecond, long rejectedEvents) {
}
