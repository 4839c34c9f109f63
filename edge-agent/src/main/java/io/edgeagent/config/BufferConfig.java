package io.edgeagent.config;

import java.time.Duration;
import java.util.List;

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

    public static final String POLICY_DROP_OLDEST = "drop-oldest";
    public static final String POLICY_BACKPRESSURE = "backpressure";
    private static final long MEGABYTE = 1024 * 1024;

    static final Field<ByteSize> MAX_BYTES = Field.of("maxBytes", ByteSize.ofMegabytes(256),
            Check.that(b -> b.bytes() >= MEGABYTE, "expected at least 1MB"));
    static final Field<Duration> MAX_AGE = Field.of("maxAge", Duration.ofDays(7), Check.atLeast(Duration.ofMinutes(1)));
    static final Field<String> POLICY = Field.of("policy", POLICY_DROP_OLDEST,
            Check.oneOf(List.of(POLICY_DROP_OLDEST, POLICY_BACKPRESSURE), "expected drop-oldest or backpressure"));
    static final Field<Duration> COMMIT_INTERVAL = Field.of("commitInterval", Duration.ofMillis(50),
            Check.atLeast(Duration.ofMillis(1)), Check.that(d -> d.compareTo(Duration.ofSeconds(10)) <= 0,
                    "expected at most 10s (messages wait unacknowledged at the broker that long)"));
    static final Field<Integer> MAX_BATCH = Field.of("maxBatch", 1000, Check.range(1, 100_000));
    static final Field<Boolean> SYNC = Field.of("sync", false);
    static final Field<ByteSize> MIN_FREE_SPACE = Field.of("minFreeSpace", ByteSize.ofMegabytes(16),
            Check.that(b -> b.bytes() == 0 || b.bytes() >= MEGABYTE, "expected 0 (off) or at least 1MB: H2 needs "
                    + "room to write a checkpoint and to delete uploaded events"));

    public BufferConfig {
        maxBytes = MAX_BYTES.or(maxBytes);
        maxAge = MAX_AGE.or(maxAge);
        policy = POLICY.or(policy);
        commitInterval = COMMIT_INTERVAL.or(commitInterval);
        maxBatch = MAX_BATCH.or(maxBatch);
        sync = SYNC.or(sync);
        minFreeSpace = MIN_FREE_SPACE.or(minFreeSpace);
    }

    public static BufferConfig defaults() {
        return new BufferConfig(null, null, null, null, null, null, null);
    }
}
