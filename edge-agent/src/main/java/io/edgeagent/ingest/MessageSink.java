package io.edgeagent.ingest;

import io.edgeagent.event.InboundMessage;
import java.util.concurrent.TimeUnit;

/**
 * Where ingest hands messages. {@link #offer} waits at most {@code timeout}: it runs on Paho's receiver thread, which
 * reads nothing else meanwhile, so a wait without a bound would let the keep-alive fail. When it returns false ingest
 * holds further messages at the broker (see {@link HandOff}). {@code BlockingQueue::offer} fits.
 */
@FunctionalInterface
public interface MessageSink {

    /** Takes the message if there is room within {@code timeout}; false when the hand-off stayed full. */
    boolean offer(InboundMessage message, long timeout, TimeUnit unit) throws InterruptedException;
}
