package io.edgeagent.pipeline;

import io.edgeagent.event.InboundMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks redelivery loops: a message that ends the JVM (an out-of-memory error, a stall the supervisor ends, a crash)
 * is never acknowledged, so the broker sends it again after the restart, and it would end the JVM again, for ever.
 *
 * <p>Before the pipeline works on a batch it writes a fingerprint of each message into a small memory-mapped file, and
 * marks the batch done afterwards. Memory-mapped writes are plain stores into the page cache, so they cost next to
 * nothing and survive the death of the process (not a power cut, which is not a redelivery loop). At the next start
 * a batch still marked in progress makes its messages <em>suspects</em>: when the broker redelivers them they are
 * processed one at a time, each under its own mark. A message still marked, alone, at a start after that is the one
 * that ended the JVM twice: it is <em>poison</em> and goes to the dead-letter table without being processed.
 *
 * <p>Fingerprints are 64-bit hashes of topic and payload; a collision could at worst process a good message alone,
 * or dead-letter a byte-identical copy of a poison message. Used by the pipeline thread only.
 */
public final class InflightJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InflightJournal.class);
    private static final int MAGIC = 0x45414a31; // "EAJ1"
    private static final int IDLE = 0;
    private static final int BATCH = 1;
    private static final int SINGLE = 2;
    private static final int HEADER = 16;
    /** Suspects that were not redelivered by then (a QoS 0 message, a session the broker dropped) are forgotten. */
    private static final long SUSPECT_TTL_NANOS = 10L * 60 * 1_000_000_000L;

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final int capacity;
    private final Set<Long> suspects = new HashSet<>();
    private final Set<Long> poison = new HashSet<>();
    private final long openedNanos = System.nanoTime();

    private InflightJournal(FileChannel channel, MappedByteBuffer map, int capacity) {
        this.channel = channel;
        this.map = map;
        this.capacity = capacity;
    }

    /**
     * Opens (or creates) the journal and reads what an abnormal stop left in it.
     *
     * @param capacity the largest batch the pipeline works on at once; larger batches are split by the caller
     */
    public static InflightJournal open(Path file, int capacity) {
        long size = HEADER + 8L * capacity;
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long existing = channel.size();
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(size, existing));
            map.order(ByteOrder.LITTLE_ENDIAN);
            InflightJournal journal = new InflightJournal(channel, map, capacity);
            journal.recover(file, existing);
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipeline journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void recover(Path file, long existingSize) {
        if (existingSize >= HEADER && map.getInt(0) == MAGIC) {
            int state = map.getInt(4);
            int count = map.getInt(8);
            if (state != IDLE && count > 0 && HEADER + 8L * count <= existingSize) {
                Set<Long> target = state == SINGLE ? poison : suspects;
                for (int i = 0; i < count; i++) {
                    target.add(map.getLong(HEADER + 8 * i));
                }
                if (state == SINGLE) {
                    LOG.error("The agent stopped abnormally twice while processing the same message; when the broker "
                            + "sends it again it goes to the dead-letter table unprocessed.");
                } else {
                    LOG.warn("The agent stopped abnormally while processing a batch of {} messages; when the broker "
                            + "sends them again they are processed one at a time, and one that stops the agent again "
                            + "will be dead-lettered.", count);
                }
            }
        } else if (existingSize > 0) {
            LOG.warn("The pipeline journal {} was not readable ({} bytes); starting a new one.", file, existingSize);
        }
        map.putInt(0, MAGIC);
        mark(IDLE, 0);
    }

    public int capacity() {
        return capacity;
    }

    /** Whether messages from an abnormal stop are still expected: the caller then works one message at a time. */
    public boolean expectsRedelivery() {
        if (suspects.isEmpty() && poison.isEmpty()) {
            return false;
        }
        if (System.nanoTime() - openedNanos > SUSPECT_TTL_NANOS) {
            suspects.clear();
            poison.clear();
            return false;
        }
        return true;
    }

    /** True (once) for a message that ended the JVM twice. */
    public boolean takePoison(InboundMessage message) {
        return !poison.isEmpty() && poison.remove(fingerprint(message));
    }

    /** Marks a batch as in progress; {@code single} when it is one suspect message on its own. */
    public void begin(List<InboundMessage> batch) {
        int count = Math.min(batch.size(), capacity);
        boolean single = false;
        for (int i = 0; i < count; i++) {
            long fingerprint = fingerprint(batch.get(i));
            map.putLong(HEADER + 8 * i, fingerprint);
            single = count == 1 && suspects.remove(fingerprint);
        }
        mark(single ? SINGLE : BATCH, count);
    }

    /** The batch is done: nothing in it can end the JVM any more. */
    public void end() {
        map.putInt(4, IDLE);
    }

    private void mark(int state, int count) {
        map.putInt(8, count);
        map.putInt(4, state);
    }

    /** FNV-1a over the topic's UTF-8 and the payload: stable across restarts and versions, cheap on the hot path. */
    static long fingerprint(InboundMessage message) {
        long h = 0xcbf29ce484222325L;
        for (byte b : message.topic().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (byte b : message.payload()) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** Closes after a clean stop: the journal says idle. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Closing the pipeline journal failed: {}", e.getMessage());
        }
    }
}
