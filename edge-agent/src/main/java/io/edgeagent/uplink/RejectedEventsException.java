package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;
import java.util.List;

/**
 * The target confirmed every event of the batch except {@link #rejected}, which it will never accept, and
 * {@link #kept}, which it has not accepted yet. The uplink dead-letters the rejected, leaves the kept in the outbox
 * for a later batch, and removes the rest; nothing is sent again as part of this batch.
 */
public final class RejectedEventsException extends Exception {

    private final transient List<Rejection> rejected;
    private final transient List<BufferedEvent> kept;
    private final long bytes;

    public RejectedEventsException(List<Rejection> rejected, long bytes) {
        this(rejected, List.of(), bytes);
    }

    public RejectedEventsException(List<Rejection> rejected, List<BufferedEvent> kept, long bytes) {
        super(rejected.size() + " events refused for good, " + kept.size() + " not accepted yet"
                + (rejected.isEmpty() ? "" : "; first refused: " + rejected.get(0).reason()));
        this.rejected = List.copyOf(rejected);
        this.kept = List.copyOf(kept);
        this.bytes = bytes;
    }

    public List<Rejection> rejected() {
        return rejected;
    }

    /** Events of the batch that stay in the outbox. */
    public List<BufferedEvent> kept() {
        return kept;
    }

    /** Bytes of the confirmed events. */
    public long bytes() {
        return bytes;
    }
}
