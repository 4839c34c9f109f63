package io.edgeagent.pipeline;

import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import java.util.List;

/**
 * Where the pipeline makes what it received durable. The pipeline acknowledges a message to the broker only after a
 * {@link #checkpoint()} that followed the {@link #append} of everything the message produced.
 *
 * <p>Both methods throw {@link StoreUnavailableException} when nothing was stored: the pipeline then holds the
 * messages unacknowledged and tries again, so the broker keeps them. Called from the pipeline thread only.
 */
public interface EventStore {

    /** Stores the events and dead letters of one batch, all or nothing. */
    void append(List<? extends Event> events, List<DeadLetter> deadLetters);

    /** Makes every append so far durable. */
    void checkpoint();
}
