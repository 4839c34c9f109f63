package io.edgeagent.actions;

import java.time.Duration;

/**
 * Acknowledgements that workflow steps {@code await}. A step registers its expectation <em>before</em> it sends the
 * command, so an actuator that answers within microseconds is not missed. Thread-safe.
 */
public interface AckSource {

    AckSource NONE = (topic, contains) -> {
        throw new IllegalStateException("no acknowledgement source is configured");
    };

    /** Starts listening on {@code topic} for a payload containing {@code contains} (null: any payload). */
    Expectation expect(String topic, String contains) throws Exception;

    /** One registered wait; close it whether or not it was met. */
    interface Expectation extends AutoCloseable {

        /** @return the acknowledging payload, or null when none arrived within {@code timeout} */
        String await(Duration timeout) throws InterruptedException;

        @Override
        void close();
    }
}
