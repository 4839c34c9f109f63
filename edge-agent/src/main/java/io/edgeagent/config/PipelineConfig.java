package io.edgeagent.config;

/**
 * The hand-off between the MQTT callback and the pipeline thread. When it is full the callback waits, Paho stops
 * reading, and the broker holds the messages: ingest slows down instead of dropping. {@code eventTime} is the window
 * of event times the decoder accepts.
 */
public record PipelineConfig(Integer queueCapacity, EventTimeWindow eventTime) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    public PipelineConfig {
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        eventTime = eventTime == null ? EventTimeWindow.defaults() : eventTime;
    }
}
