package io.edgeagent.config;

/**
 * The hand-off between the MQTT callback and the pipeline thread. When it is full the callback waits, Paho stops
 * reading, and the broker holds the messages: ingest slows down instead of dropping.
 */
public record PipelineConfig(Integer queueCapacity) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    public PipelineConfig {
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
    }
}
