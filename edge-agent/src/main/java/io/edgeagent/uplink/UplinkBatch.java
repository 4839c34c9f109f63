package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A batch of outbox rows, in seq order, with its idempotency key: a hash of the event ids, so a retried batch (after
 * a timeout, a lost acknowledgement, a restart that peeks the same rows) carries the same key.
 *
 * @param backlog whether the batch was taken from the oldest end of the outbox (false: the live end)
 */
public record UplinkBatch(List<BufferedEvent> events, String key, boolean backlog) {

    public UplinkBatch {
        events = List.copyOf(events);
    }

    public static UplinkBatch of(List<BufferedEvent> events, boolean backlog) {
        return new UplinkBatch(events, idempotencyKey(events), backlog);
    }

    /** The first 128 bits of SHA-256 over the event ids, each followed by a newline, in hex. */
    public static String idempotencyKey(List<BufferedEvent> events) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (BufferedEvent event : events) {
            digest.update(event.id().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    public long firstSeq() {
        return events.isEmpty() ? 0 : events.get(0).seq();
    }

    public long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }

    public int size() {
        return events.size();
    }
}
