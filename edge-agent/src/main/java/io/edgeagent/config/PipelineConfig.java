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

    static final Field<Integer> QUEUE_CAPACITY = Field.of("queueCapacity", 10_000, Check.range(1, 1_000_000));
    static final Field<Duration> STALL_TIMEOUT = Field.of("stallTimeout", Duration.ofSeconds(30),
            Check.atLeast(Duration.ofSeconds(1)));
    static final Field<EventTimeWindow> EVENT_TIME = Field.of("eventTime", EventTimeWindow.defaults());

    public PipelineConfig {
        queueCapacity = QUEUE_CAPACITY.or(queueCapacity);
        stallTimeout = STALL_TIMEOUT.or(stallTimeout);
        eventTime = EVENT_TIME.or(eventTime);
    }
}
