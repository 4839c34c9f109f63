package io.edgeagent.config;

import java.time.Duration;

/**
 * How often a workflow step is tried ({@code attempts}, 1 = no retry) and how long to wait between tries: exponential
 * from {@code initialBackoff}, doubling up to {@code maxBackoff}, with +-25% jitter.
 */
public record RetryPolicy(Integer attempts, Duration initialBackoff, Duration maxBackoff) {

    public static final int DEFAULT_ATTEMPTS = 1;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final RetryPolicy NONE = new RetryPolicy(null, null, null);

    public RetryPolicy {
        attempts = attempts == null ? DEFAULT_ATTEMPTS : attempts;
        initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
        maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
    }
}
