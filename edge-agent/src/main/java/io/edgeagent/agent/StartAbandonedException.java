package io.edgeagent.agent;

/** {@link Agent#start} gave up because a stop was requested while it was starting; what it had started is stopped. */
public final class StartAbandonedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final String stage;

    StartAbandonedException(String stage) {
        super("stopped while starting, before " + stage);
        this.stage = stage;
    }

    /** The stage the start did not begin. */
    public String stage() {
        return stage;
    }
}
