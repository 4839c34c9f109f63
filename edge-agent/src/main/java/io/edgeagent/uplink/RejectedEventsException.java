package io.edgeagent.uplink;

import java.util.List;

/**
 * The target confirmed every event of the batch except {@link #rejected}, which it will never accept. The uplink
 * dead-letters those and removes the whole batch from the outbox; nothing is retried.
 */
public final class RejectedEventsException extends Exception {

    private final transient List<Rejection> rejected;
    private final long bytes;

    public RejectedEventsException(List<Rejection> rejected, long bytes) {
        super(rejected.size() + " events refused for good, first: " + rejected.get(0).reason());
        this.rejected = List.copyOf(rejected);
        this.bytes = bytes;
    }

    public List<Rejection> rejected() {
        return rejected;
    }

    /** Bytes of the confirmed events. */
    public long bytes() {
        return bytes;
    }
}
