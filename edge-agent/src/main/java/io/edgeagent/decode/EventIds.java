package io.edgeagent.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * Content-derived event ids: the same topic and payload bytes give the same id, so a QoS 1 redelivery or a device's
 * duplicate publish yields the same id and can be dropped upstream. The index separates the several events one
 * message may carry (a Tasmota payload with temperature and humidity).
 *
 * <p>The id is XXH3-128 (seed 0) of {@code UTF-8(topic) 0x00 payload 0x00 index(4 bytes, big-endian)}, high 64 bits
 * first, with the version and variant bits of a version 8 UUID set (docs/event-format.md). XXH3 is a published,
 * frozen algorithm, so ids stay the same across restarts and versions; it is not a cryptographic hash, which an id
 * for duplicate detection does not need (SHA-256 took a fifth of the pipeline thread's CPU).
 *
 * <p>That is only safe when the payload identifies the measurement, i.e. carries a timestamp: a bare {@code 21.5}
 * published twice, even within one millisecond, is two readings. Events from such payloads get a random id
 * ({@link #unique}); a redelivered copy then cannot be recognised as a duplicate, which is the safe way round (a
 * receiver never drops a real reading).
 */
final class EventIds {

    private static final LongTupleHashFunction XXH3_128 = LongTupleHashFunction.xx128();
    /** The hashed input of the calling thread, grown to the largest message seen, so ids allocate no input copy. */
    private static final ThreadLocal<byte[]> INPUT = ThreadLocal.withInitial(() -> new byte[512]);

    private EventIds() {
    }

    /** The id of event {@code index} of a message, or a random one when the payload carries no timestamp. */
    static String of(String topic, byte[] payload, int index, boolean timestamped) {
        return timestamped ? of(topic, payload, index) : unique();
    }

    static String unique() {
        return UUID.randomUUID().toString();
    }

    static String of(String topic, byte[] payload, int index) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        int length = topicBytes.length + payload.length + 6;
        byte[] input = INPUT.get();
        if (input.length < length) {
            input = Arrays.copyOf(input, Math.max(length, input.length * 2));
            INPUT.set(input);
        }
        System.arraycopy(topicBytes, 0, input, 0, topicBytes.length);
        int at = topicBytes.length;
        input[at++] = 0;
        System.arraycopy(payload, 0, input, at, payload.length);
        at += payload.length;
        input[at++] = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            input[at++] = (byte) (index >>> shift);
        }
        long[] hash = XXH3_128.hashBytes(input, 0, length);
        long msb = hash[1];
        long lsb = hash[0];
        // Version 8 (custom) UUID layout keeps the id a valid UUID string for receivers that parse it.
        msb = (msb & ~0xF000L) | 0x8000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
