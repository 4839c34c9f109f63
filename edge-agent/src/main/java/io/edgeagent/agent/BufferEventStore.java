package io.edgeagent.agent;

import io.edgeagent.buffer.BufferException;
import io.edgeagent.buffer.BufferFullException;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.buffer.LowDiskSpaceException;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.pipeline.EventStore;
import io.edgeagent.pipeline.StoreUnavailableException;
import io.edgeagent.pipeline.StoreUnavailableException.Reason;
import java.util.List;

/** The pipeline's view of the buffer: the composition root adapts one stage to the other's port. */
final class BufferEventStore implements EventStore {

    private final H2Buffer buffer;

    BufferEventStore(H2Buffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void append(List<? extends Event> events, List<DeadLetter> deadLetters) {
        try {
            buffer.append(events, deadLetters);
        } catch (LowDiskSpaceException e) {
            throw new StoreUnavailableException(Reason.NO_SPACE, e.getMessage(), e);
        } catch (BufferFullException e) {
            throw new StoreUnavailableException(Reason.FULL, e.getMessage(), e);
        } catch (BufferException e) {
            throw new StoreUnavailableException(Reason.FAULT, e.getMessage(), e);
        }
    }

    @Override
    public void checkpoint() {
        try {
            buffer.checkpoint();
        } catch (BufferException e) {
            throw new StoreUnavailableException(Reason.FAULT, e.getMessage(), e);
        }
    }
}
