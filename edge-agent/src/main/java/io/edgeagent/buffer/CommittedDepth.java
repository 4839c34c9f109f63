package io.edgeagent.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's row count at the last checkpoint, removal, drop or open, kept beside the database in {@value #FILE}
 * (16 bytes: the count and its complement, written in place). A buffer file cut short opens at an older version whose
 * own count does not include what was committed later; this count does, so the open can tell such a file even when
 * H2's own header does not ({@link BufferDamage}), and the salvage can say how many events the cut took instead of
 * "an unknown number". A write that lowers the count records it before its commit, so an intact file never holds
 * fewer rows than recorded. Written with the same durability as the checkpoint (no fsync unless
 * H2's own write is synced); a failed write is logged once and costs only that precision.
 */
final class CommittedDepth implements AutoCloseable {

    static final String FILE = "buffer.depth";
    private static final Logger LOG = LoggerFactory.getLogger(CommittedDepth.class);

    private final FileChannel channel;
    private final ByteBuffer bytes = ByteBuffer.allocate(16);
    private boolean failing;

    private CommittedDepth(FileChannel channel) {
        this.channel = channel;
    }

    static CommittedDepth open(Path directory) throws IOException {
        return new CommittedDepth(FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE));
    }

    /** The count last written, or -1 when there is none or it does not check out. */
    static long read(Path directory) {
        try {
            ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(directory.resolve(FILE)));
            if (content.remaining() != 16) {
                return -1;
            }
            long depth = content.getLong();
            return content.getLong() == ~depth && depth >= 0 ? depth : -1;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}); the number of events lost to the damage is not known.", FILE,
                    e.getMessage());
            return -1;
        }
    }

    /**
     * After a salvage the count belonged to the damaged file; the buffer writes its own at open and at its next
     * checkpoint. Emptied rather than deleted: an open buffer's channel keeps writing to the same file.
     */
    static void forget(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (Files.exists(file)) {
            Files.write(file, new byte[0]);
        }
    }

    void write(long depth) {
        bytes.clear();
        bytes.putLong(depth).putLong(~depth).flip();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, bytes.position());
            }
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Cannot write {} ({}); a salvage would not know how many events a cut took.", FILE,
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Closing {} failed: {}", FILE, e.getMessage());
        }
    }
}
