package io.edgeagent.config;

import java.time.Duration;

/**
 * The durable outbox.
 *
 * <p>{@code commitInterval} bounds how long an event waits for the checkpoint that makes it durable; MQTT messages
 * are acknowledged only after that checkpoint, so a longer interval means larger batches and fewer disk writes but
 * more messages held unacknowledged at the broker. {@code sync} also forces the checkpoint to the storage device, which
 * survives power loss at a real cost on SD cards; without it a checkpoint survives a crash of the agent process but
 * not of the machine.
 *
 * <p>{@code minFreeSpace}: the buffer refuses new events (held unacknowledged, so the broker keeps them) while the
 * data directory's file system has less free space than this, so a full disk never fails a write; 0 turns it off.
 */
public record BufferConfig(ByteSize maxBytes, Duration maxAge, String policy, Duration commitInterval,
                           Integer maxBatch, Boolean sync, ByteSize minFreeSpace) {

    public static final ByteSize DEFAULT_MAX_BYTES = ByteSize.ofMegabytes(256);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final String POLICY_DROP_OLDEST = "drop-oldest";
    public static final String POLICY_BACKPRESSURE = "backpressure";
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(50);
    public static final int DEFAULT_MAX_BATCH = 1000;
    public static final ByteSize DEFAULT_MIN_FREE_SPACE = ByteSize.ofMegabytes(16);

    public BufferConfig {
        maxBytes = maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
        maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
        policy = policy == null ? POLICY_DROP_OLDEST : policy;
        commitInterval = commitInterval == null ? DEFAULT_COMMIT_INTERVAL : commitInterval;
        maxBatch = maxBatch == null ? DEFAULT_MAX_BATCH : maxBatch;
        sync = sync == null ? Boolean.FALSE : sync;
        minFreeSpace = minFreeSpace == null ? DEFAULT_MIN_FREE_SPACE : minFreeSpace;
    }

    public static BufferConfig defaults() {
        return new BufferConfig(null, null, null, null, null, null, null);
    }
}
