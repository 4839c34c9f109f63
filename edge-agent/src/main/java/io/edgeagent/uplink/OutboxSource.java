package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;
import java.util.List;

/**
 * Where the uplink reads the events it uploads: a durable outbox ordered by {@code seq}. The agent implements it over
 * the buffer. Rows stay in the outbox until {@link #remove}, which the uplink calls only after the target confirmed
 * them, so a crash in between means the rows are sent again, never lost.
 *
 * <p>Implementations must be thread-safe (the uplink thread reads while the pipeline appends) and must assign
 * {@code seq} in commit order, so no row appears later with a seq below one already seen.
 */
public interface OutboxSource {

    /** Up to {@code max} of the oldest rows, in seq order. */
    List<BufferedEvent> peekOldest(int max);

    /** Up to {@code max} of the newest rows with a seq above {@code afterSeq}, in seq order. */
    List<BufferedEvent> peekNewest(int max, long afterSeq);

    /** Removes rows the target confirmed; rows already gone (dropped meanwhile) are ignored. */
    void remove(List<BufferedEvent> rows);

    /**
     * Keeps events the target refused for good as dead letters with the reason. Does not remove them from the outbox:
     * {@link #remove} follows, so a crash in between dead-letters them again rather than losing them.
     */
    void deadLetter(List<Rejection> rejected);

    /** Rows waiting. */
    long depth();
}
