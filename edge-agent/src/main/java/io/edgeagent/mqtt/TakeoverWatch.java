package io.edgeagent.mqtt;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Recognises the pattern of two clients with one client id: the broker closes the older connection whenever the
 * other connects (MQTT 3.1.1, 3.1.4-2), so each side loses its connection soon after making it, again and again.
 * Any other drop does that only now and then. Not thread-safe: the connector thread alone calls it.
 */
final class TakeoverWatch {

    /** A connection lost within this long of being made counts as possibly taken over. */
    static final long SOON_MS = 15_000;
    /** This many such losses ... */
    static final int LOSSES = 3;
    /** ... within this long are the pattern. */
    static final long WINDOW_MS = 120_000;

    private final Deque<Long> earlyLosses = new ArrayDeque<>();
    private long suspected;
    private boolean reported;

    /**
     * A connection made at {@code connectedAt} was lost at {@code lostAt} (milliseconds, any one clock).
     *
     * @return true once per episode: when the losses first form the pattern
     */
    boolean lost(long connectedAt, long lostAt) {
        if (lostAt - connectedAt > SOON_MS) {
            earlyLosses.clear();
            reported = false;
            return false;
        }
        earlyLosses.addLast(lostAt);
        while (lostAt - earlyLosses.peekFirst() > WINDOW_MS) {
            earlyLosses.removeFirst();
        }
        if (earlyLosses.size() < LOSSES) {
            return false;
        }
        suspected++;
        if (reported) {
            return false;
        }
        reported = true;
        return true;
    }

    /** Losses that completed the pattern: each one probably another client connecting with our id. */
    long suspected() {
        return suspected;
    }
}
