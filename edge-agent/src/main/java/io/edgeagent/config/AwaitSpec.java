package io.edgeagent.config;

import java.time.Duration;

/**
 * After a step succeeded, wait for an acknowledgement: a message on {@code topic} (templated, no wildcards) whose
 * payload contains {@code match} (templated; null = any payload), within {@code timeout}. No acknowledgement in time
 * fails the attempt, so the step's retry policy re-sends the command.
 */
public record AwaitSpec(String topic, String match, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public AwaitSpec {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
}
