package io.edgeagent.pipeline;

/**
 * The pipeline's state for readiness and status: running, holding for the store (with why and since when), or failed.
 * The agent is ready only while the pipeline is {@link #ready()}.
 */
public record PipelineHealth(State state, String reason, long sinceMillis) {

    public enum State {
        RUNNING,
        /** The store refuses for now (full under backpressure, no disk space, a fault); nothing is acknowledged. */
        HOLDING,
        /** The thread died or stalled; the agent stops so that systemd restarts it. */
        FAILED
    }

    static final PipelineHealth RUNNING = new PipelineHealth(State.RUNNING, "", 0);

    static PipelineHealth holding(StoreUnavailableException.Reason why, String message, long sinceMillis) {
        return new PipelineHealth(State.HOLDING, why.name().toLowerCase().replace('_', '-') + ": " + message,
                sinceMillis);
    }

    /** Ready unless failed or held by a storage fault; a full buffer under backpressure is flow control, not a fault. */
    public boolean ready() {
        return state == State.RUNNING || (state == State.HOLDING && reason.startsWith("full"));
    }
}
