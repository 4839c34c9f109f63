package io.edgeagent.buffer;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.wire.EventJson;
import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.ReopeningStore;
import io.edgeagent.storage.StorageHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox and dead-letter table, in an H2 file database in the data directory.
 *
 * <p>Durability contract: {@link #append} commits a whole batch in one transaction, which is visible but not yet on
 * disk; {@link #checkpoint} writes everything committed so far to the file (and with {@code sync}, to the device).
 * Callers acknowledge MQTT messages only after the checkpoint that covers them. Rows leave the outbox only through
 * {@link #remove}, after the uplink confirmed them (peek, send, then remove), so a crash means redelivery, never loss.
 *
 * <p>Bounds ({@link BoundPolicy}): the outbox holds at most {@code maxBytes} of stored event JSON (counted in memory
 * and committed with every change, see {@link OutboxTable}) and events at most {@code maxAge} old; at a bound
 * {@code drop-oldest} deletes the oldest rows in the append's transaction and {@code backpressure} refuses the append
 * with {@link BufferFullException}. Below {@code minFreeSpace} of free disk every append is refused with
 * {@link LowDiskSpaceException} ({@link FreeSpaceGuard}).
 *
 * <p>Storage faults heal: a failed write makes H2 close its store, so on any storage fault the session is closed and
 * reopened in the background with backoff ({@link ReopeningStore}); meanwhile calls fail fast with
 * {@link StorageUnavailableException}. Writes committed since the last checkpoint are lost with the old store; they
 * are kept in a {@link WriteJournal} and replayed on the reopened one, so a checkpoint after healing still covers
 * every append that returned. {@link #health} says which state the buffer is in.
 *
 * <p>Thread-safe: every method that touches the file is synchronized. The pipeline thread appends; the uplink thread
 * peeks and removes; admin threads read stats.
 */
public final class H2Buffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    static final Duration REOPEN_MIN = Duration.ofMillis(100);
    static final Duration REOPEN_MAX = Duration.ofSeconds(5);
    static final Duration RELEASE_INTERVAL = Duration.ofSeconds(5);

    private final Path directory;
    private final BufferConfig config;
    private final DataDirectoryLock lock;
    private final Clock clock;
    private final String scheme;
    private final BoundPolicy bounds;
    private final FreeSpaceGuard guard;
    private final WriteJournal journal = new WriteJournal();
    /** The outbox row count outside the file, for a salvage to know what a cut took (see {@link CommittedDepth}). */
    private final CommittedDepth committedDepth;
    private final ReopeningStore<StoreSession> store;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    /** Characters of stored event JSON in the outbox (bytes for the ASCII that events are made of). */
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong refusedForSpace = new AtomicLong();
    /** When the oldest row was stored, epoch ms; 0 when the outbox is empty. */
    private volatile long headStoredTime;
    /** System.nanoTime() of the last write made to let H2 free retained pages (see freeBytesInFile). */
    private long lastRelease = System.nanoTime() - RELEASE_INTERVAL.toNanos();
    /** The message of a read that found a damaged page, until the reopen deals with it; under this buffer's lock. */
    private String damage;

    private H2Buffer(Path directory, BufferConfig config, DataDirectoryLock lock, Clock clock, String scheme,
                     StoreSession session) throws SQLException, IOException {
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.clock = clock;
        this.scheme = scheme;
        this.bounds = new BoundPolicy(config);
        this.guard = FreeSpaceGuard.of(directory, config.minFreeSpace());
        loadTotals(session);
        this.committedDepth = CommittedDepth.open(directory);
        committedDepth.write(depth.get());
        this.store = new ReopeningStore<>("buffer", this, session, this::reopen, REOPEN_MIN, REOPEN_MAX);
    }

    /**
     * Opens (or creates) the buffer in {@code directory}, holding the directory's lock until {@link #close}. A
     * corrupt database file is moved aside and a fresh one started, with an error in the log: an agent that cannot
     * start is worse than one that lost an unreadable file, which stays on disk for recovery.
     */
    public static H2Buffer open(Path directory, BufferConfig config) {
        return open(directory, config, Clock.systemUTC());
    }

    /** As {@link #open(Path, BufferConfig)}, with the clock that stamps rows and judges {@code maxAge} (tests). */
    public static H2Buffer open(Path directory, BufferConfig config, Clock clock) {
        return open(directory, config, clock, H2Files.DISK);
    }

    /**
     * As {@link #open(Path, BufferConfig, Clock)}, through H2's file system {@code scheme}: {@link H2Files#DISK}, or
     * one a test registered to inject I/O faults.
     */
    public static H2Buffer open(Path directory, BufferConfig config, Clock clock, String scheme) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        StoreSession session = null;
        try {
            BufferDamage.salvageIfDamaged(directory, BufferSchema::create, clock.millis());
            for (int attempt = 1; ; attempt++) {
                session = StoreSession.open(scheme, directory, clock.millis(), opened -> {
                    if (opened.quarantined() != null) {
                        LOG.error("The buffer database in {} is corrupt ({}); moved it to {} and started an empty "
                                + "buffer. Events in the old file were not uploaded.", directory, opened.error(),
                                opened.quarantined());
                    }
                });
                H2Buffer buffer;
                try {
                    buffer = new H2Buffer(directory, config, lock, clock, scheme, session);
                } catch (SQLException e) {
                    // The structural check passed but reading the totals hit a damaged page: salvage once, then
                    // open the salvaged file, rather than fail every start for systemd to restart for ever.
                    if (attempt > 1 || !H2Salvage.isDamage(e)) {
                        throw e;
                    }
                    closeQuietly(session);
                    session = null;
                    BufferDamage.quarantineAndSalvage(directory, BufferSchema::create,
                            "reading the buffer at open failed on a damaged page (" + e.getMessage() + ")",
                            clock.millis());
                    continue;
                }
                LOG.info("Buffer opened in {} with {} events ({} KB) waiting for upload and {} dead letters; bounds {} "
                        + "and {} with the {} policy; {}.", directory, buffer.depth(), buffer.storedBytes() / 1024,
                        buffer.deadLetterCount.get(), config.maxBytes(), config.maxAge(), config.policy(),
                        config.minFreeSpace().bytes() == 0 ? "no free-space guard"
                                : "new events refused below " + config.minFreeSpace() + " of free disk");
                return buffer;
            }
        } catch (SQLException | IOException e) {
            closeQuietly(session);
            lock.close();
            throw new BufferException("cannot open the buffer in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            lock.close();
            throw e;
        }
    }

    /** The in-memory totals from the file's committed state: at open, and again after every reopen. */
    private void loadTotals(StoreSession session) throws SQLException {
        long rows = session.outbox.rows();
        depth.set(rows);
        storedBytes.set(session.outbox.bytes(rows));
        deadLetterCount.set(session.deadLetters.count());
        dropped.set(session.outbox.dropped());
        lost.set(StoreSession.count(session.connection, "SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = '"
                + BufferDamage.LOST_COUNTER + "'"));
        headStoredTime = session.outbox.headStoredTime();
        session.commit();
    }

    /**
     * Opens a fresh session after a fault (called by the reopen thread, holding this buffer's lock): reloads the
     * totals, replays the journal, and proves the file takes writes.
     */
    private StoreSession reopen() throws SQLException, IOException {
        if (damage != null) {
            salvageDamagedFile(damage);
            damage = null;
        }
        StoreSession session = StoreSession.open(scheme, directory, clock.millis(), opened -> {
            if (opened.quarantined() != null) {
                LOG.error("The buffer database in {} was corrupt when reopened after a fault ({}); moved it to {} and "
                        + "started an empty buffer.", directory, opened.error(), opened.quarantined());
            }
        });
        try {
            loadTotals(session);
            int replayed = 0;
            for (WriteJournal.Entry entry : journal.entries()) {
                replayed += replay(session, entry);
            }
            session.proveWritable(clock.millis(), config.sync());
            journal.clear();
            if (replayed > 0) {
                LOG.info("Replayed {} buffer rows written since the last checkpoint before the fault.", replayed);
            }
            return session;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * A read hit a damaged page, and the same file reopened would fail on it again: quarantine the file and copy its
     * readable rows into a fresh one before the reopen (see {@link BufferDamage}).
     */
    private void salvageDamagedFile(String problem) throws SQLException, IOException {
        BufferDamage.quarantineAndSalvage(directory, BufferSchema::create, "a read failed on a damaged page ("
                + problem + ")", clock.millis());
    }

    private int replay(StoreSession session, WriteJournal.Entry entry) throws SQLException {
        if (entry instanceof WriteJournal.Remove remove) {
            delete(session, remove.rows());
            return 0;
        }
        WriteJournal.Append append = (WriteJournal.Append) entry;
        List<? extends Event> events = append.events();
        // H2 may have written the append before the fault (its background writer runs every 500 ms).
        if (!events.isEmpty() && session.outbox.contains(events.get(0).id(), append.storedTime())) {
            return 0;
        }
        write(session, events, bodies(events), append.deadLetters(), append.storedTime());
        return events.size() + append.deadLetters().size();
    }

    /**
     * Appends events and dead letters in one committed transaction. Not durable until the next {@link #checkpoint}.
     * Under {@code drop-oldest} the same transaction deletes the oldest rows beyond the bounds.
     *
     * @throws LowDiskSpaceException       below {@code minFreeSpace} of free disk; nothing was written
     * @throws BufferFullException         under {@code backpressure} when the outbox is at a bound; nothing was written
     * @throws StorageUnavailableException while the store is being reopened after a fault; nothing was written
     */
    public synchronized void append(List<? extends Event> events, List<DeadLetter> deadLetters) {
        if (events.isEmpty() && deadLetters.isEmpty()) {
            return;
        }
        StoreSession session = session();
        try {
            guard.check(() -> freeBytesInFile(session));
        } catch (LowDiskSpaceException e) {
            refusedForSpace.incrementAndGet();
            throw e;
        }
        long now = clock.millis();
        List<byte[]> bodies = bodies(events);
        long incoming = length(bodies);
        if (incoming > 0 && bounds.isBackpressure()) {
            try {
                bounds.refuseWhenFull(depth.get(), storedBytes.get(), headStoredTime, incoming, now);
            } catch (BufferFullException e) {
                refused.incrementAndGet();
                throw e;
            }
        }
        try {
            write(session, events, bodies, deadLetters, now);
        } catch (SQLException e) {
            throw failed(session, e, "cannot append " + events.size() + " events to the buffer");
        }
        journal.append(events, deadLetters, now);
        appended.addAndGet(events.size());
        if (journal.full()) {
            checkpointAfterWrite(session);
        }
    }

    /**
     * Space H2 can write into without growing its file. While short of space, a small write at most every
     * {@link #RELEASE_INTERVAL} lets H2 free the pages it kept past their retention: it frees them only when it
     * writes, and the file never shrinks, so without it a file grown by a burst would hold the guard shut for good.
     */
    private long freeBytesInFile(StoreSession session) {
        long now = System.nanoTime();
        if (now - lastRelease >= RELEASE_INTERVAL.toNanos()) {
            lastRelease = now;
            try {
                session.writeMarker("space_checked", clock.millis(), config.sync());
                journal.clear();
            } catch (SQLException e) {
                failed(session, e, "cannot write to the buffer");
                return 0;
            }
        }
        return session.freeBytesInFile();
    }

    /** The stored form: UTF-8 bytes, which H2 copies as one array where it would encode a VARCHAR per character. */
    private static List<byte[]> bodies(List<? extends Event> events) {
        List<byte[]> bodies = new ArrayList<>(events.size());
        for (Event event : events) {
            bodies.add(EventJson.toJson(event).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private static long length(List<byte[]> bodies) {
        long bytes = 0;
        for (byte[] body : bodies) {
            bytes += body.length;
        }
        return bytes;
    }

    /** Inserts, drops beyond the bounds, saves the totals and commits; then updates the in-memory totals. */
    private void write(StoreSession session, List<? extends Event> events, List<byte[]> bodies,
                       List<DeadLetter> deadLetters, long storedTime) throws SQLException {
        long incoming = length(bodies);
        session.outbox.insert(events, bodies, storedTime);
        session.deadLetters.insert(deadLetters);
        BoundPolicy.Drop drop = bounds.dropBeyondBounds(session.outbox, storedBytes.get(), headStoredTime, incoming,
                storedTime);
        if (drop.rows() > 0) {
            session.outbox.saveDropped(dropped.get() + drop.rows());
        }
        long newDepth = depth.get() + events.size() - drop.rows();
        if (!events.isEmpty() || drop.rows() > 0) {
            session.outbox.saveTotals(newDepth, storedBytes.get() + incoming - drop.bytes());
        }
        if (newDepth < depth.get()) {
            // Before the commit, as a removal does: H2 may store the commit before the next checkpoint, and a file
            // holding fewer rows than the recorded count is taken for one that lost its newest versions.
            committedDepth.write(newDepth);
        }
        session.commit();
        depth.addAndGet(events.size() - drop.rows());
        storedBytes.addAndGet(incoming - drop.bytes());
        deadLetterCount.addAndGet(deadLetters.size());
        if (drop.rows() > 0) {
            dropped.addAndGet(drop.rows());
            bounds.report(drop, dropped.get(), storedTime);
            refreshHead(session);
        } else if (headStoredTime == 0 && !events.isEmpty()) {
            headStoredTime = storedTime;
        }
    }

    /** After a committed change: a failure here must not fail the change, whose rows are in the journal. */
    private void refreshHead(StoreSession session) {
        try {
            headStoredTime = session.outbox.headStoredTime();
            session.commit();
        } catch (SQLException e) {
            failed(session, e, "cannot read the oldest row");
        }
    }

    private void checkpointAfterWrite(StoreSession session) {
        try {
            session.checkpoint(config.sync());
            journal.clear();
            committedDepth.write(depth.get());
        } catch (SQLException e) {
            failed(session, e, "cannot checkpoint the buffer");
        }
    }

    /** Makes everything committed so far survive a crash of this process ({@code sync}: of the machine). */
    public synchronized void checkpoint() {
        StoreSession session = session();
        try {
            session.checkpoint(config.sync());
            journal.clear();
            committedDepth.write(depth.get());
        } catch (SQLException e) {
            throw failed(session, e, "cannot checkpoint the buffer");
        }
    }

    /** Up to {@code max} of the oldest events, in upload order. Does not remove them. */
    public synchronized List<BufferedEvent> peek(int max) {
        StoreSession session = session();
        try {
            List<BufferedEvent> rows = session.outbox.oldest(max);
            session.commit();
            return rows;
        } catch (SQLException e) {
            throw failed(session, e, "cannot read the buffer");
        }
    }

    /** Up to {@code max} of the newest events after {@code afterSeq}, in upload order. */
    public synchronized List<BufferedEvent> peekNewest(int max, long afterSeq) {
        StoreSession session = session();
        try {
            List<BufferedEvent> newest = session.outbox.newestAfter(afterSeq, max);
            session.commit();
            Collections.reverse(newest);
            return newest;
        } catch (SQLException e) {
            throw failed(session, e, "cannot read the buffer");
        }
    }

    /** Up to {@code max} events with a seq above {@code afterSeq}, oldest first (export, paging through the outbox). */
    public synchronized List<BufferedEvent> readAfter(long afterSeq, int max) {
        StoreSession session = session();
        try {
            List<BufferedEvent> rows = session.outbox.after(afterSeq, max);
            session.commit();
            return rows;
        } catch (SQLException e) {
            throw failed(session, e, "cannot read the buffer");
        }
    }

    /**
     * Removes the given rows (the ones an upload confirmed) and commits. Rows already gone (dropped meanwhile) are
     * ignored. Allowed below {@code minFreeSpace}: removing is what frees space.
     */
    public synchronized void remove(List<BufferedEvent> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StoreSession session = session();
        try {
            delete(session, rows);
        } catch (SQLException e) {
            throw failed(session, e, "cannot remove uploaded events from the buffer");
        }
        journal.remove(rows);
        refreshHead(session);
        // A drain with nothing arriving has no pipeline checkpoint to empty the journal: without this it would keep
        // every uploaded row of the backlog in memory (a 200,000-event drain ran -Xmx64m out of heap).
        if (journal.full()) {
            checkpointAfterWrite(session);
        }
    }

    private void delete(StoreSession session, List<BufferedEvent> rows) throws SQLException {
        OutboxTable.Removed removed = session.outbox.delete(rows);
        if (removed.rows() > 0) {
            long remaining = depth.get() - removed.rows();
            session.outbox.saveTotals(remaining, storedBytes.get() - removed.bytes());
            // Before the commit, unlike an append's count: these rows were uploaded, so whether a commit that fails
            // on a damaged page kept them or not, a salvage must not count them as lost (it once counted 500
            // confirmed events as lost, BufferCorruptionChaosIT). Rows it still finds are uploaded again.
            committedDepth.write(remaining);
        }
        session.commit();
        depth.addAndGet(-removed.rows());
        storedBytes.addAndGet(-removed.bytes());
    }

    /** The open session, or a fast failure while the store is being reopened. */
    private StoreSession session() {
        StoreSession session = store.session();
        if (session == null) {
            throw new StorageUnavailableException("the buffer's storage failed and is being reopened ("
                    + store.health().reason() + ")");
        }
        return session;
    }

    /**
     * A failed statement: a storage fault closes the session and starts reopening it; any other failure rolls back.
     * Returns the exception for the caller to throw.
     */
    private BufferException failed(StoreSession session, SQLException e, String what) {
        if (ReopeningStore.isStorageFault(e)) {
            if (H2Salvage.isDamage(e)) {
                damage = e.getMessage();
            }
            store.fault(e);
        } else {
            session.rollbackQuietly();
        }
        return new BufferException(what + ": " + e.getMessage(), e);
    }

    /**
     * Healthy; {@code LOW_DISK_SPACE} while appends are refused for want of free disk; {@code REOPENING} while the
     * store is being reopened after a fault. Never blocks on the file.
     */
    public StorageHealth health() {
        StorageHealth storage = store.health();
        return storage.healthy() ? guard.health() : storage;
    }

    /** Rows the write journal holds (tests: it stays bounded). */
    synchronized int journalRows() {
        return journal.rows();
    }

    /** Events waiting for upload. Cheap: kept in memory, not counted in the database. */
    public long depth() {
        return depth.get();
    }

    /** Events appended since this buffer was opened. */
    public long appended() {
        return appended.get();
    }

    public long deadLetters() {
        return deadLetterCount.get();
    }

    /** Bytes (UTF-8) of event JSON waiting for upload, the measure {@code buffer.maxBytes} bounds. Kept in memory. */
    public long storedBytes() {
        return storedBytes.get();
    }

    /** Events deleted by the {@code drop-oldest} policy over the buffer's life (survives restarts). */
    public long dropped() {
        return dropped.get();
    }

    /** Events lost to a damaged buffer file over the buffer's life (see {@link BufferDamage}). */
    public long lost() {
        return lost.get();
    }

    /** Appends refused by the {@code backpressure} policy since this buffer was opened. */
    public long refused() {
        return refused.get();
    }

    /** Appends refused below {@code buffer.minFreeSpace} since this buffer was opened (each is retried). */
    public long refusedForSpace() {
        return refusedForSpace.get();
    }

    /** Storage faults (each closed and reopened the store) since this buffer was opened. */
    public synchronized long storageFaults() {
        return store.episodes();
    }

    /** When the oldest waiting event was stored, epoch ms, or 0 when the outbox is empty. Kept in memory. */
    public long oldestStoredTime() {
        return headStoredTime;
    }

    public synchronized BufferStats stats() {
        StoreSession session = session();
        try {
            OutboxTable.KindCounts counts = session.outbox.countByKind();
            session.commit();
            long rows = counts.byKind().values().stream().mapToLong(Long::longValue).sum();
            return new BufferStats(rows, fileBytes(), counts.oldestReceived(), dropped.get(), deadLetterCount.get(),
                    counts.byKind(), storedBytes.get());
        } catch (SQLException e) {
            throw failed(session, e, "cannot read buffer statistics");
        }
    }

    /** The most recent dead letters, newest first. */
    public synchronized List<StoredDeadLetter> recentDeadLetters(int limit) {
        StoreSession session = session();
        try {
            List<StoredDeadLetter> rows = session.deadLetters.recent(limit);
            session.commit();
            return rows;
        } catch (SQLException e) {
            throw failed(session, e, "cannot read dead letters");
        }
    }

    /** Size of the database file; no lock taken, so scrapes never wait for (or stall) the pipeline. */
    public long fileBytes() {
        try {
            return Files.size(directory.resolve(StoreSession.DB_NAME + ".mv.db"));
        } catch (IOException e) {
            return 0;
        }
    }

    private static void closeQuietly(StoreSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("Closing a buffer session that failed to open: {}", e.getMessage());
            }
        }
    }

    /** Checkpoints, closes the database and releases the directory lock. */
    @Override
    public synchronized void close() {
        StoreSession session = store.session();
        try {
            if (session != null) {
                session.shutdown(config.sync());
            } else {
                LOG.warn("The buffer closes while its storage is failed ({}); what was written since the last "
                        + "checkpoint is not saved, and its messages were not acknowledged.", store.health().reason());
            }
        } catch (SQLException e) {
            LOG.warn("The buffer did not shut down cleanly ({}); H2 recovers the file at next start.", e.getMessage());
        } finally {
            committedDepth.write(depth.get());
            committedDepth.close();
            store.close();
            lock.close();
        }
        LOG.info("Buffer closed with {} events waiting for upload.", depth.get());
    }
}
