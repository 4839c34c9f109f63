package io.edgeagent.threads;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with +-25% jitter, so a fleet of gateways that lost the same broker does not reconnect in
 * lock step. Not thread-safe: one per retry loop.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;
    private long nextMs;

    public Backoff(Duration min, Duration max) {
        this.minMs = Math.max(1, min.toMillis());
        this.maxMs = Math.max(minMs, max.toMillis());
        this.nextMs = minMs;
    }

    /** The delay before the next attempt; doubles each call up to the cap. */
    public long nextDelayMs() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Math.max(1, Math.round(base * jitter));
    }

    public void reset() {
        nextMs = minMs;
    }
}
