package io.edgeagent.decode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Content-derived event ids: the same topic and payload bytes give the same id, so a QoS 1 redelivery or a device's
 * duplicate publish yields the same id and can be dropped upstream. The index separates the several events one
 * message may carry (a Tasmota payload with temperature and humidity).
 *
 * <p>That is only safe when the payload identifies the measurement, i.e. carries a timestamp: a bare {@code 21.5}
 * published twice, even within one millisecond, is two readings. Events from such payloads get a random id
 * ({@link #unique}); a redelivered copy then cannot be recognised as a duplicate, which is the safe way round (a
 * receiver never drops a real reading).
 */
final class EventIds {

    /** MessageDigest.getInstance is a provider lookup per call; a digest per thread is reset by digest(). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EventIds::sha256);

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
        MessageDigest digest = SHA256.get();
        digest.update(topic.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(payload);
        digest.update((byte) 0);
        for (int shift = 24; shift >= 0; shift -= 8) {
            digest.update((byte) (index >>> shift));
        }
        byte[] hash = digest.digest();
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[8 + i] & 0xff);
        }
        // Version 8 (custom) UUID layout keeps the id a valid UUID string for receivers that parse it.
        msb = (msb & ~0xF000L) | 0x8000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
