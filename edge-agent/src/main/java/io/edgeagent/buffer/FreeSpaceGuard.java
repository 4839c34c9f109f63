package io.edgeagent.buffer;

import io.edgeagent.config.ByteSize;
import io.edgeagent.storage.StorageHealth;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new data before the data directory's file system is full ({@code buffer.minFreeSpace}), so the buffer never
 * reaches the write that fails for want of space: a refused append is held unacknowledged and the broker keeps the
 * messages, while uploads and removals (which free space) go on. The free space is asked of the file system at most
 * every {@link #CHECK_INTERVAL}, on append (the pipeline retries a refused append within a second, which is also when
 * the guard sees that space is back). One log line when refusing starts and one when it ends. Thread-safe.
 */
final class FreeSpaceGuard {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);

    private final Path directory;
    private final ByteSize minFree;
    private final FileStore store;
    private long checkedAtNanos;
    private boolean checked;
    private volatile StorageHealth health = StorageHealth.HEALTHY;

    private FreeSpaceGuard(Path directory, ByteSize minFree, FileStore store) {
        this.directory = directory;
        this.minFree = minFree;
        this.store = store;
    }

    /** A guard for {@code directory}; with {@code minFree} 0 it never refuses. */
    static FreeSpaceGuard of(Path directory, ByteSize minFree) throws IOException {
        return new FreeSpaceGuard(directory, minFree, minFree.bytes() > 0 ? Files.getFileStore(directory) : null);
    }

    /**
     * Checks the free space (at most every {@link #CHECK_INTERVAL}; in between the last answer holds).
     *
     * @param reusable free bytes inside H2's file, which it fills before growing the file (asked only when the file
     *                 system is short of space): a file grown by a burst of writes may hold room for the buffer when
     *                 the file system looks full
     * @throws LowDiskSpaceException when less than {@code minFreeSpace} is free
     */
    synchronized void check(LongSupplier reusable) {
        long nanos = System.nanoTime();
        if (store != null && (!checked || nanos - checkedAtNanos >= CHECK_INTERVAL.toNanos())) {
            checked = true;
            checkedAtNanos = nanos;
            update(reusable);
        }
        if (!health.healthy()) {
            throw new LowDiskSpaceException(health.reason());
        }
    }

    private void update(LongSupplier reusable) {
        long usable;
        try {
            usable = store.getUsableSpace();
        } catch (IOException e) {
            // Unknown free space is no reason to stop ingest; a write that then fails is a storage fault.
            return;
        }
        long free = usable < minFree.bytes() ? usable + reusable.getAsLong() : usable;
        boolean low = free < minFree.bytes();
        if (low && health.healthy()) {
            health = new StorageHealth(StorageHealth.State.LOW_DISK_SPACE, "only " + free / 1024 + " KB free in "
                    + directory + " (counting " + (free - usable) / 1024 + " KB that the buffer's file can reuse), "
                    + "below buffer.minFreeSpace (" + minFree + ")", System.currentTimeMillis());
            LOG.warn("The buffer takes no new events: {}. Messages stay unacknowledged at the broker and uploads go on "
                    + "until space is freed.", health.reason());
        } else if (!low && !health.healthy()) {
            LOG.info("The buffer takes new events again: {} KB free in {} after {} s with too little space.",
                    free / 1024, directory, (System.currentTimeMillis() - health.sinceMillis()) / 1000);
            health = StorageHealth.HEALTHY;
        }
    }

    /** Healthy, or {@code LOW_DISK_SPACE} since the first refusal of this episode, as of the last check. */
    StorageHealth health() {
        return health;
    }
}
