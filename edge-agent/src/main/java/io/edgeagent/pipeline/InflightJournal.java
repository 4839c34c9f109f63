package io.edgeagent.pipeline;

import io.edgeagent.event.InboundMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.openhft.hashing.LongHashFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks redelivery loops: a message that ends the JVM (an out-of-memory error, a stall the supervisor ends, a crash)
 * is never acknowledged, so the broker sends it again after the restart, and it would end the JVM again, for ever.
 *
 * <p>Before the pipeline works on a batch it writes a fingerprint of each message into a small file, and marks the
 * batch done afterwards: two positional writes per batch, no fsync. A write that returned is in the page cache, so it
 * survives the death of the process (not a power cut, which is not a redelivery loop). At the next start
 * a batch still marked in progress makes its messages <em>suspects</em>: when the broker redelivers them they are
 * processed one at a time, each under its own mark. A message still marked, alone, at a start after that is the one
 * that ended the JVM twice: it is <em>poison</em> and goes to the dead-letter table without being processed.
 *
 * <p>Fingerprints are 64-bit hashes of topic and payload; a collision could at worst process a good message alone,
 * or dead-letter a byte-identical copy of a poison message. Used by the pipeline thread only.
 */
public final class InflightJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InflightJournal.class);
    private static final int MAGIC = 0x45414a32; // "EAJ2"
    /** Earlier builds wrote FNV-1a fingerprints: a batch they left marked cannot be matched to its messages. */
    private static final int MAGIC_FNV = 0x45414a31; // "EAJ1"
    private static final LongHashFunction XXH3 = LongHashFunction.xx3();
    private static final int IDLE = 0;
    private static final int BATCH = 1;
    private static final int SINGLE = 2;
    private static final int HEADER = 16;
    /** Suspects that were not redelivered by then (a QoS 0 message, a session the broker dropped) are forgotten. */
    private static final long SUSPECT_TTL_NANOS = 10L * 60 * 1_000_000_000L;

    private final FileChannel channel;
    /** The whole file's content as last written; written out by position. */
    private final ByteBuffer content;
    private final int capacity;
    private final Set<Long> suspects = new HashSet<>();
    private final Set<Long> poison = new HashSet<>();
    private final long openedNanos = System.nanoTime();
    private boolean failing;

    private InflightJournal(FileChannel channel, ByteBuffer content, int capacity) {
        this.channel = channel;
        this.content = content;
        this.capacity = capacity;
    }

    /**
     * Opens (or creates) the journal and reads what an abnormal stop left in it.
     *
     * @param capacity the largest batch the pipeline works on at once; larger batches are split by the caller
     */
    public static InflightJournal open(Path file, int capacity) {
        int size = HEADER + 8 * capacity;
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long existing = channel.size();
            ByteBuffer content = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(content, 0);
            InflightJournal journal = new InflightJournal(channel, content, capacity);
            journal.recover(file, Math.min(existing, size));
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipeline journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void recover(Path file, long existingSize) {
        if (existingSize >= HEADER && content.getInt(0) == MAGIC) {
            int state = content.getInt(4);
            int count = content.getInt(8);
            if (state != IDLE && count > 0 && HEADER + 8L * count <= existingSize) {
                Set<Long> target = state == SINGLE ? poison : suspects;
                for (int i = 0; i < count; i++) {
                    target.add(content.getLong(HEADER + 8 * i));
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
        } else if (existingSize >= HEADER && content.getInt(0) == MAGIC_FNV) {
            if (content.getInt(4) != IDLE) {
                LOG.warn("The pipeline journal {} is from an earlier version, which stopped abnormally while "
                        + "processing a batch; its fingerprints cannot be matched, so those messages are processed as "
                        + "usual when the broker sends them again.", file);
            }
        } else if (existingSize > 0) {
            LOG.warn("The pipeline journal {} was not readable ({} bytes); starting a new one.", file, existingSize);
        }
        content.putInt(0, MAGIC);
        content.putInt(8, 0);
        content.putInt(4, IDLE);
        write(0, HEADER);
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
            content.putLong(HEADER + 8 * i, fingerprint);
            single = count == 1 && suspects.remove(fingerprint);
        }
        content.putInt(8, count);
        content.putInt(4, single ? SINGLE : BATCH);
        write(0, HEADER + 8 * count);
    }

    /** The batch is done: nothing in it can end the JVM any more. */
    public void end() {
        content.putInt(4, IDLE);
        write(4, 4);
    }

    /**
     * One positional write of {@code length} bytes from {@code offset}. A failure (the disk is full) is not fatal: the
     * journal only breaks loops, and the buffer has its own fault handling; it is logged once until writes work again.
     */
    private void write(int offset, int length) {
        try {
            ByteBuffer slice = content.duplicate().position(offset).limit(offset + length);
            while (slice.hasRemaining()) {
                channel.write(slice, slice.position());
            }
            if (failing) {
                failing = false;
                LOG.info("The pipeline journal can be written again.");
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Cannot write the pipeline journal ({}); redelivery loops are not detected until it works "
                        + "again.", e.getMessage());
            }
        }
    }

    /**
     * XXH3 (64-bit, seed 0) of the topic's UTF-8 and of the payload, combined: stable across restarts and platforms,
     * and a fraction of the byte-at-a-time FNV-1a it replaced (5% of the pipeline thread's time at full rate).
     */
    static long fingerprint(InboundMessage message) {
        return XXH3.hashBytes(message.topic().getBytes(StandardCharsets.UTF_8)) * 0x9E3779B97F4A7C15L
                + XXH3.hashBytes(message.payload());
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
