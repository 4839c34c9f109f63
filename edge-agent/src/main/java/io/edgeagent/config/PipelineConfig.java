package io.edgeagent.config;

import java.time.Duration;

/**
 * The hand-off between the MQTT callback and the pipeline thread, and the pipeline's supervision.
 *
 * <p>{@code stallTimeout}: one batch taking longer than this (a rule caught in a loop) makes the agent report itself
 * failed and stop with exit code 70, for systemd to restart it; the message involved is dead-lettered if it stalls
 * the agent again. {@code eventTime} is the window of event times the decoder accepts.
 */
public record PipelineConfig(Integer queueCapacity, Duration stallTimeout, EventTimeWindow eventTime) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    public PipelineConfig {
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        stallTimeout = stallTimeout == null ? DEFAULT_STALL_TIMEOUT : stallTimeout;
        eventTime = eventTime == null ? EventTimeWindow.defaults() : eventTime;
    }
}
