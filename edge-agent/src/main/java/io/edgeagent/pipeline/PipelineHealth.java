package io.edgeagent.pipeline;

/**
 * The pipeline's state for readiness and status: running, holding for the store (with why and since when), or failed.
 * The agent is ready only while the pipeline is {@link #ready()}.
 */
public record PipelineHealth(State state, String reason, long sinceMillis, boolean ready) {

    public enum State {
        RUNNING,
        /** The store refuses for now (full under backpressure, no disk space, a fault); nothing is acknowledged. */
        HOLDING,
        /** The thread died or stalled; the agent stops so that systemd restarts it. */
        FAILED
    }

    public static final PipelineHealth RUNNING = new PipelineHealth(State.RUNNING, "", 0, true);

    /** Ready while held by a full buffer under backpressure (flow control), not while held by a storage fault. */
    static PipelineHealth holding(StoreUnavailableException.Reason why, String message, long sinceMillis) {
        return new PipelineHealth(State.HOLDING, why.name().toLowerCase().replace('_', '-') + ": " + message,
                sinceMillis, why == StoreUnavailableException.Reason.FULL);
    }

    static PipelineHealth failed(String reason, long sinceMillis) {
        return new PipelineHealth(State.FAILED, reason, sinceMillis, false);
    }
}
