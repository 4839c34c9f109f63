package io.edgeagent.ingest;

import io.edgeagent.event.InboundMessage;

/**
 * Where ingest hands messages. {@link #accept} may block while the pipeline is behind: that stalls Paho's reader,
 * so the broker holds the messages instead of the agent dropping them.
 */
@FunctionalInterface
public interface MessageSink {

    void accept(InboundMessage message) throws InterruptedException;
}
