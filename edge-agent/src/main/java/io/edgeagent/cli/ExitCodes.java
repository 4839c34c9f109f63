package io.edgeagent.cli;

/** Process exit codes, documented in docs/cli.md; systemd's unit does not restart on {@link #CONFIG}. */
public final class ExitCodes {

    public static final int OK = 0;
    /** A runtime failure: the broker or the agent could not be reached, an I/O error. */
    public static final int FAILURE = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** The configuration or a rule file is invalid; restarting will not help. */
    public static final int CONFIG = 3;
    /** Another agent holds the data directory. */
    public static final int LOCKED = 4;
    /**
     * {@code run}: the admin API's port is taken. Not {@link #CONFIG}: the holder may be an agent still stopping, so
     * systemd's restart (with its back-off) may succeed.
     */
    public static final int PORT_IN_USE = 6;
    /** Done as far as possible: part of the input (a damaged file) could not be read, and the output says how much. */
    public static final int PARTIAL = 5;
    /** A stage failed beyond repair in this JVM (EX_SOFTWARE); systemd restarts the agent. */
    public static final int STAGE_FAILED = 70;

    private ExitCodes() {
    }
}
