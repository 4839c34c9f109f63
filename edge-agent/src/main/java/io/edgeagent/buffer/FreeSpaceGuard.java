package io.edgeagent.buffer;

import io.edgeagent.config.ByteSize;
import io.edgeagent.support.StorageHealth;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new data before the data directory's file system is full ({@code buffer.minFreeSpace}), so the buffer never
 * reaches the write that fails for want of space: a refused append is held unacknowledged and the broker keeps the
 * messages, while uploads and removals (which free space) go on. The free space is asked of the file system at most
 * every {@link #CHECK_INTERVAL}. One log line when refusing starts and one when it ends. Thread-safe.
 */
final class FreeSpaceGuard {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);

    private final Path directory;
    private final ByteSize minFree;
    private final FileStore store;
    private long checkedAtNanos;
    private boolean checked;
    private long usable = Long.MAX_VALUE;
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

    /** @throws LowDiskSpaceException when less than {@code minFreeSpace} is free */
    void check() {
        StorageHealth now = health();
        if (!now.healthy()) {
            throw new LowDiskSpaceException(now.reason());
        }
    }

    /** Healthy, or {@code LOW_DISK_SPACE} since the first refusal of this episode. */
    synchronized StorageHealth health() {
        if (store == null) {
            return health;
        }
        long nanos = System.nanoTime();
        if (checked && nanos - checkedAtNanos < CHECK_INTERVAL.toNanos()) {
            return health;
        }
        checked = true;
        checkedAtNanos = nanos;
        try {
            usable = store.getUsableSpace();
        } catch (IOException e) {
            // Unknown free space is no reason to stop ingest; a write that then fails is a storage fault.
            usable = Long.MAX_VALUE;
        }
        boolean low = usable < minFree.bytes();
        if (low && health.healthy()) {
            health = new StorageHealth(StorageHealth.State.LOW_DISK_SPACE, "only " + usable / 1024 + " KB free in "
                    + directory + ", below buffer.minFreeSpace (" + minFree + ")", System.currentTimeMillis());
            LOG.warn("The buffer takes no new events: {}. Messages stay unacknowledged at the broker and uploads go on "
                    + "until space is freed.", health.reason());
        } else if (!low && !health.healthy()) {
            LOG.info("The buffer takes new events again: {} KB free in {} after {} s with too little space.",
                    usable / 1024, directory, (System.currentTimeMillis() - health.sinceMillis()) / 1000);
            health = StorageHealth.HEALTHY;
        }
        return health;
    }
}
