package io.edgeagent.pipeline;

/** The {@link EventStore} stored nothing this time; {@link #reason()} says whether that is flow control or a fault. */
public final class StoreUnavailableException extends RuntimeException {

    /** Why the store refused: each has its own log line and readiness. */
    public enum Reason {
        /** Full under the backpressure policy: normal flow control, the agent stays ready. */
        FULL,
        /** The disk is nearly full: the agent is not ready until space returns. */
        NO_SPACE,
        /** An I/O error or a closed store: the agent is not ready until the store works again. */
        FAULT
    }

    private final Reason reason;

    public StoreUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
