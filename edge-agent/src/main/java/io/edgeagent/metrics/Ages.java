package io.edgeagent.metrics;

/** Ages as the agent shows them, in /metrics and in the admin views alike: whole seconds, 0 for "never". */
public final class Ages {

    private Ages() {
    }

    /** Seconds since {@code epochMillis}; 0 when it is 0 (never) or, after a clock step back, in the future. */
    public static long secondsSince(long epochMillis) {
        return epochMillis == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - epochMillis) / 1000);
    }
}
