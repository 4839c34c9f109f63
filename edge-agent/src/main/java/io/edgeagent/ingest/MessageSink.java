package io.edgeagent.ingest;

import io.edgeagent.event.InboundMessage;
import java.util.concurrent.TimeUnit;

/**
 * Where ingest hands messages. {@link #offer} waits at most {@code timeout}: it runs on Paho's callback thread, and a
 * callback that waits without a bound stalls Paho's receiver until the keep-alive fails. When it returns false ingest
 * holds further messages at the broker (see {@link HandOff}). {@code BlockingQueue::offer} fits.
 */
@FunctionalInterface
public interface MessageSink {

    /** Takes the message if there is room within {@code timeout}; false when the hand-off stayed full. */
    boolean offer(InboundMessage message, long timeout, TimeUnit unit) throws InterruptedException;
}
