package io.edgeagent.buffer;

import io.edgeagent.config.BufferConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's bounds ({@code maxBytes}, {@code maxAge}) and what happens at them: {@code backpressure} refuses the
 * append before anything is written; {@code drop-oldest} deletes the oldest rows in the append's transaction, counts
 * them and logs them at most once per {@link #DROP_LOG_INTERVAL}, so a long outage does not flood the log.
 */
final class BoundPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    static final Duration DROP_LOG_INTERVAL = Duration.ofMinutes(1);

    /** What one append had to delete, for the counters and the log. */
    record Drop(long rows, long bytes, long firstSeq, long lastSeq, long oldestReceived, String reason) {
        static final Drop NONE = new Drop(0, 0, 0, 0, 0, "");
    }

    private final BufferConfig config;
    private long droppedSinceReport;
    private long lastDropReport = Long.MIN_VALUE;

    BoundPolicy(BufferConfig config) {
        this.config = config;
    }

    boolean isBackpressure() {
        return config.policy().equals(BufferConfig.POLICY_BACKPRESSURE);
    }

    /**
     * Under {@code backpressure}: refuses {@code incoming} bytes when the outbox is at a bound.
     *
     * @param head when the oldest row was stored, 0 when empty
     */
    void refuseWhenFull(long depth, long held, long head, long incoming, long now) {
        // An empty outbox takes any batch: refusing it would stop ingest for good, with nothing left to upload.
        if (depth > 0 && held + incoming > config.maxBytes().bytes()) {
            throw new BufferFullException("the outbox holds " + depth + " events (" + held / 1024
                    + " KB); another " + incoming / 1024 + " KB would exceed buffer.maxBytes (" + config.maxBytes() + ")");
        }
        if (head != 0 && now - head > config.maxAge().toMillis()) {
            throw new BufferFullException("the oldest event has waited " + Duration.ofMillis(now - head).toSeconds()
                    + " s for upload, longer than buffer.maxAge (" + config.maxAge() + ")");
        }
    }

    /** Under {@code drop-oldest}: deletes the oldest rows while the outbox is beyond a bound. */
    Drop dropBeyondBounds(OutboxTable outbox, long held, long head, long incoming, long now) throws SQLException {
        if (isBackpressure()) {
            return Drop.NONE;
        }
        long excess = held + incoming - config.maxBytes().bytes();
        long cutoff = now - config.maxAge().toMillis();
        boolean aged = head != 0 && head < cutoff;
        if (excess <= 0 && !aged) {
            return Drop.NONE;
        }
        Drop drop = outbox.dropOldest(excess, cutoff);
        String reason = aged ? "older than buffer.maxAge (" + config.maxAge() + ")"
                : "over buffer.maxBytes (" + config.maxBytes() + ")";
        return new Drop(drop.rows(), drop.bytes(), drop.firstSeq(), drop.lastSeq(), drop.oldestReceived(), reason);
    }

    /** Logs committed drops at most once per {@link #DROP_LOG_INTERVAL}. */
    void report(Drop drop, long droppedTotal, long now) {
        droppedSinceReport += drop.rows();
        if (lastDropReport != Long.MIN_VALUE && now - lastDropReport < DROP_LOG_INTERVAL.toMillis()) {
            return;
        }
        LOG.warn("The buffer is at its bound ({}): the drop-oldest policy deleted {} events not yet uploaded since the "
                + "last report, most recently seq {} to {} (the oldest received {}); {} dropped in total. Is the uplink "
                + "down?", drop.reason(), droppedSinceReport, drop.firstSeq(), drop.lastSeq(),
                Instant.ofEpochMilli(drop.oldestReceived()), droppedTotal);
        droppedSinceReport = 0;
        lastDropReport = now;
    }
}
