package io.edgeagent.buffer;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Event;
import io.edgeagent.support.EventJson;
import io.edgeagent.support.H2Files;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Bounds: the outbox holds at most {@code maxBytes} of stored event JSON (counted in memory, not by querying, and
 * committed with every change to the {@code counters} table, so that opening a full buffer reads no bodies) and
 * events at most {@code maxAge} old (since they were stored). At a bound, {@code drop-oldest} deletes the oldest rows
 * in the same transaction as the append, counts them in the {@code counters} table (so the count survives restarts)
 * and logs them at most once a minute; {@code backpressure} makes {@link #append} throw {@link BufferFullException}
 * and writes nothing, so the caller holds its MQTT acknowledgements and the broker keeps the data.
 *
 * <p>Thread-safe: every method is synchronized on one JDBC connection. The pipeline thread appends; the uplink thread
 * peeks and removes; admin threads read stats.
 */
public final class H2Buffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    static final String DB_NAME = "buffer";
    /** Rows examined per query while dropping, so one huge drop does not load the whole outbox into memory. */
    private static final int DROP_CHUNK = 1000;
    static final Duration DROP_LOG_INTERVAL = Duration.ofMinutes(1);
    /** Dead-letter payloads are kept for diagnosis, not replay; beyond this they are truncated and the reason says so. */
    static final int MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;
    private static final String INSERT_EVENTS =
            "INSERT INTO outbox(id, kind, device_id, event_time, received_time, stored_time, body) VALUES ";
    /**
     * Rows per multi-row INSERT. Executing a statement (H2's command set-up, locks, undo bookkeeping) cost about
     * as much as inserting the row itself when each event was its own batched statement.
     */
    static final int ROWS_PER_INSERT = 64;
    /** Values bound per event row (see {@link #bindEvent}). */
    private static final int EVENT_COLUMNS = 7;
    /** Values of the outbox's identity sequence reserved per metadata write (see createSchema). */
    static final int SEQ_CACHE = 4096;

    private final Path directory;
    private final BufferConfig config;
    private final DataDirectoryLock lock;
    private final Connection connection;
    private final PreparedStatement insertEvent;
    /** {@link #ROWS_PER_INSERT} rows per statement: H2's per-statement work is paid once per chunk, not per row. */
    private final PreparedStatement insertEvents;
    private final PreparedStatement insertDeadLetter;
    private final PreparedStatement saveTotals;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    /** Characters of stored event JSON in the outbox (bytes for the ASCII that events are made of). */
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Clock clock;
    /** When the oldest row was stored, epoch ms; 0 when the outbox is empty. */
    private volatile long headStoredTime;
    private long droppedSinceReport;
    private long lastDropReport = Long.MIN_VALUE;

    private H2Buffer(Path directory, BufferConfig config, DataDirectoryLock lock, Connection connection, Clock clock)
            throws SQLException {
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.connection = connection;
        this.clock = clock;
        this.insertEvent = connection.prepareStatement(INSERT_EVENTS + "(?, ?, ?, ?, ?, ?, ?)");
        this.insertEvents = connection.prepareStatement(
                INSERT_EVENTS + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, "(?, ?, ?, ?, ?, ?, ?)")));
        this.insertDeadLetter = connection.prepareStatement(
                "INSERT INTO dead_letter(received_time, topic, reason, payload) VALUES (?, ?, ?, ?)");
        this.saveTotals = connection.prepareStatement(
                "MERGE INTO counters(name, amount) KEY(name) VALUES ('outbox_rows', ?), ('outbox_bytes', ?)");
        depth.set(count("SELECT COUNT(*) FROM outbox"));
        deadLetterCount.set(count("SELECT COUNT(*) FROM dead_letter"));
        storedBytes.set(outboxBytes(depth.get()));
        dropped.set(count("SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = 'dropped'"));
        lost.set(count("SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = '" + BufferDamage.LOST_COUNTER + "'"));
        refreshHead();
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
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        try {
            BufferDamage.salvageIfDamaged(directory, H2Buffer::createSchema, clock.millis());
            H2Files.Opened opened = H2Files.open(directory, DB_NAME, H2Buffer::createSchema, clock.millis());
            if (opened.quarantined() != null) {
                LOG.error("The buffer database in {} is corrupt ({}); moved it to {} and started an empty buffer. "
                        + "Events in the old file were not uploaded.", directory, opened.error(), opened.quarantined());
            }
            Connection connection = opened.connection();
            connection.setAutoCommit(false);
            H2Buffer buffer = new H2Buffer(directory, config, lock, connection, clock);
            LOG.info("Buffer opened in {} with {} events ({} KB) waiting for upload and {} dead letters; bounds {} and "
                    + "{} with the {} policy.", directory, buffer.depth(), buffer.storedBytes() / 1024,
                    buffer.deadLetterCount.get(), config.maxBytes(), config.maxAge(), config.policy());
            return buffer;
        } catch (SQLException | IOException e) {
            lock.close();
            throw new BufferException("cannot open the buffer in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    static void createSchema(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS outbox ("
                + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                + "id VARCHAR NOT NULL, kind VARCHAR(32) NOT NULL, device_id VARCHAR NOT NULL, "
                + "event_time BIGINT NOT NULL, received_time BIGINT NOT NULL, body VARCHAR(1000000) NOT NULL)");
        addStoredTime(s);
        // Rows get their seq from the identity sequence, which H2 writes to its metadata every CACHE values (default
        // 32, i.e. about 30 metadata updates per batch of 1,000). After a crash H2 resumes past the cached range, so
        // seq stays strictly increasing (with a gap); nothing relies on seq being dense.
        s.execute("ALTER TABLE outbox ALTER COLUMN seq SET CACHE " + SEQ_CACHE);
        s.execute("CREATE TABLE IF NOT EXISTS dead_letter ("
                + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, received_time BIGINT NOT NULL, "
                + "topic VARCHAR(65535) NOT NULL, reason VARCHAR(4000) NOT NULL, payload VARBINARY(65536) NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS counters (name VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)");
    }

    /**
     * Buffers created before {@code maxAge} was enforced lack {@code stored_time}; their rows get their receive
     * time, which is when they were stored to within the commit interval.
     */
    private static void addStoredTime(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_NAME = 'OUTBOX' AND COLUMN_NAME = 'STORED_TIME'")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        s.execute("ALTER TABLE outbox ADD COLUMN stored_time BIGINT DEFAULT 0 NOT NULL");
        s.execute("UPDATE outbox SET stored_time = received_time");
    }

    /**
     * Appends events and dead letters in one committed transaction. Not durable until the next {@link #checkpoint}.
     * Under {@code drop-oldest} the same transaction deletes the oldest rows beyond the bounds.
     *
     * @throws BufferFullException under {@code backpressure} when the outbox is at a bound; nothing was written
     */
    public synchronized void append(List<? extends Event> events, List<DeadLetter> deadLetters) {
        if (events.isEmpty() && deadLetters.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<String> bodies = new ArrayList<>(events.size());
        long incoming = 0;
        for (Event event : events) {
            String body = EventJson.toJson(event);
            bodies.add(body);
            incoming += body.length();
        }
        if (incoming > 0 && isBackpressure()) {
            refuseWhenFull(incoming, now);
        }
        try {
            // Whole chunks as multi-row statements, the rest row by row; seq follows the list order either way.
            int chunked = events.size() - events.size() % ROWS_PER_INSERT;
            for (int i = 0; i < chunked; i++) {
                bindEvent(insertEvents, (i % ROWS_PER_INSERT) * EVENT_COLUMNS, events.get(i), now, bodies.get(i));
                if (i % ROWS_PER_INSERT == ROWS_PER_INSERT - 1) {
                    insertEvents.addBatch();
                }
            }
            for (int i = chunked; i < events.size(); i++) {
                bindEvent(insertEvent, 0, events.get(i), now, bodies.get(i));
                insertEvent.addBatch();
            }
            for (DeadLetter dl : deadLetters) {
                insertDeadLetter.setLong(1, dl.receivedTime());
                insertDeadLetter.setString(2, dl.topic());
                byte[] payload = dl.payload();
                String reason = dl.reason();
                if (payload.length > MAX_DEAD_LETTER_PAYLOAD) {
                    reason = reason + " (payload of " + payload.length + " bytes truncated to " + MAX_DEAD_LETTER_PAYLOAD + ")";
                    payload = Arrays.copyOf(payload, MAX_DEAD_LETTER_PAYLOAD);
                }
                insertDeadLetter.setString(3, reason.length() > 4000 ? reason.substring(0, 4000) : reason);
                insertDeadLetter.setBytes(4, payload);
                insertDeadLetter.addBatch();
            }
            if (chunked > 0) {
                insertEvents.executeBatch();
            }
            if (chunked < events.size()) {
                insertEvent.executeBatch();
            }
            if (!deadLetters.isEmpty()) {
                insertDeadLetter.executeBatch();
            }
            Drop drop = isBackpressure() ? Drop.NONE : dropBeyondBounds(incoming, now);
            if (!events.isEmpty() || drop.rows() > 0) {
                saveTotals(depth.get() + events.size() - drop.rows(), storedBytes.get() + incoming - drop.bytes());
            }
            connection.commit();
            depth.addAndGet(events.size() - drop.rows());
            storedBytes.addAndGet(incoming - drop.bytes());
            appended.addAndGet(events.size());
            deadLetterCount.addAndGet(deadLetters.size());
            if (drop.rows() > 0) {
                dropped.addAndGet(drop.rows());
                refreshHead();
                report(drop, now);
            } else if (headStoredTime == 0 && !events.isEmpty()) {
                headStoredTime = now;
            }
        } catch (SQLException e) {
            clearBatches();
            rollback();
            throw new BufferException("cannot append " + events.size() + " events to the buffer: " + e.getMessage(), e);
        }
    }

    /** After a failed append: rows still batched on a statement that did not run must not go out with the retry. */
    private void clearBatches() {
        for (PreparedStatement s : List.of(insertEvents, insertEvent, insertDeadLetter)) {
            try {
                s.clearBatch();
            } catch (SQLException e) {
                LOG.debug("Clearing a batch after a failed append: {}", e.getMessage());
            }
        }
    }

    private static void bindEvent(PreparedStatement s, int offset, Event event, long now, String body)
            throws SQLException {
        s.setString(offset + 1, event.id());
        s.setString(offset + 2, event.kind());
        s.setString(offset + 3, event.deviceId());
        s.setLong(offset + 4, event.eventTime());
        s.setLong(offset + 5, event.receivedTime());
        s.setLong(offset + 6, now);
        s.setString(offset + 7, body);
    }

    private boolean isBackpressure() {
        return config.policy().equals(BufferConfig.POLICY_BACKPRESSURE);
    }

    private void refuseWhenFull(long incoming, long now) {
        long held = storedBytes.get();
        // An empty outbox takes any batch: refusing it would stop ingest for good, with nothing left to upload.
        if (depth.get() > 0 && held + incoming > config.maxBytes().bytes()) {
            refused.incrementAndGet();
            throw new BufferFullException("the outbox holds " + depth.get() + " events (" + held / 1024
                    + " KB); another " + incoming / 1024 + " KB would exceed buffer.maxBytes (" + config.maxBytes() + ")");
        }
        long head = headStoredTime;
        if (head != 0 && now - head > config.maxAge().toMillis()) {
            refused.incrementAndGet();
            throw new BufferFullException("the oldest event has waited " + Duration.ofMillis(now - head).toSeconds()
                    + " s for upload, longer than buffer.maxAge (" + config.maxAge() + ")");
        }
    }

    /** What one append had to delete, for the counters and the log. */
    private record Drop(long rows, long bytes, long firstSeq, long lastSeq, long oldestReceived, String reason) {
        static final Drop NONE = new Drop(0, 0, 0, 0, 0, "");
    }

    /** Deletes the oldest rows while the outbox is over {@code maxBytes} or they are older than {@code maxAge}. */
    private Drop dropBeyondBounds(long incoming, long now) throws SQLException {
        long excess = storedBytes.get() + incoming - config.maxBytes().bytes();
        long cutoff = now - config.maxAge().toMillis();
        long head = headStoredTime;
        boolean aged = head != 0 && head < cutoff;
        if (excess <= 0 && !aged) {
            return Drop.NONE;
        }
        long rows = 0;
        long bytes = 0;
        long firstSeq = 0;
        long lastSeq = 0;
        long oldestReceived = 0;
        boolean done = false;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, stored_time, LENGTH(body), received_time FROM outbox ORDER BY seq LIMIT " + DROP_CHUNK);
             PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
            while (!done) {
                int read = 0;
                long chunkLast = -1;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        if (excess <= 0 && rs.getLong(2) >= cutoff) {
                            done = true;
                            break;
                        }
                        chunkLast = rs.getLong(1);
                        if (rows == 0) {
                            firstSeq = chunkLast;
                            oldestReceived = rs.getLong(4);
                        }
                        excess -= rs.getLong(3);
                        bytes += rs.getLong(3);
                        rows++;
                    }
                }
                if (chunkLast >= 0) {
                    lastSeq = chunkLast;
                    delete.setLong(1, chunkLast);
                    delete.executeUpdate();
                }
                done = done || read < DROP_CHUNK;
            }
        }
        if (rows > 0) {
            try (PreparedStatement s = connection.prepareStatement(
                    "MERGE INTO counters(name, amount) KEY(name) VALUES ('dropped', ?)")) {
                s.setLong(1, dropped.get() + rows);
                s.executeUpdate();
            }
        }
        String reason = aged ? "older than buffer.maxAge (" + config.maxAge() + ")"
                : "over buffer.maxBytes (" + config.maxBytes() + ")";
        return new Drop(rows, bytes, firstSeq, lastSeq, oldestReceived, reason);
    }

    /** Logs drops at most once per {@link #DROP_LOG_INTERVAL}, so a long outage does not flood the log. */
    private void report(Drop drop, long now) {
        droppedSinceReport += drop.rows();
        if (lastDropReport != Long.MIN_VALUE && now - lastDropReport < DROP_LOG_INTERVAL.toMillis()) {
            return;
        }
        LOG.warn("The buffer is at its bound ({}): the drop-oldest policy deleted {} events not yet uploaded since the "
                + "last report, most recently seq {} to {} (the oldest received {}); {} dropped in total. Is the uplink "
                + "down?", drop.reason(), droppedSinceReport, drop.firstSeq(), drop.lastSeq(),
                Instant.ofEpochMilli(drop.oldestReceived()), dropped.get());
        droppedSinceReport = 0;
        lastDropReport = now;
    }

    private void refreshHead() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT stored_time FROM outbox ORDER BY seq LIMIT 1")) {
            headStoredTime = rs.next() ? Math.max(1, rs.getLong(1)) : 0;
        }
        connection.commit();
    }

    /** Makes everything committed so far survive a crash of this process ({@code sync}: of the machine). */
    public synchronized void checkpoint() {
        try (Statement s = connection.createStatement()) {
            s.execute(config.sync() ? "CHECKPOINT SYNC" : "CHECKPOINT");
        } catch (SQLException e) {
            throw new BufferException("cannot checkpoint the buffer: " + e.getMessage(), e);
        }
    }

    /** Up to {@code max} of the oldest events, in upload order. Does not remove them. */
    public synchronized List<BufferedEvent> peek(int max) {
        return select("SELECT seq, id, kind, device_id, event_time, body FROM outbox ORDER BY seq LIMIT ?", max);
    }

    /** Up to {@code max} of the newest events after {@code afterSeq}, in upload order. */
    public synchronized List<BufferedEvent> peekNewest(int max, long afterSeq) {
        List<BufferedEvent> newest = select("SELECT seq, id, kind, device_id, event_time, body FROM outbox "
                + "WHERE seq > " + afterSeq + " ORDER BY seq DESC LIMIT ?", max);
        java.util.Collections.reverse(newest);
        return newest;
    }

    /** Up to {@code max} events with a seq above {@code afterSeq}, oldest first (export, paging through the outbox). */
    public synchronized List<BufferedEvent> readAfter(long afterSeq, int max) {
        return select("SELECT seq, id, kind, device_id, event_time, body FROM outbox "
                + "WHERE seq > " + afterSeq + " ORDER BY seq LIMIT ?", max);
    }

    private List<BufferedEvent> select(String sql, int max) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setInt(1, max);
            List<BufferedEvent> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new BufferedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6)));
                }
            }
            connection.commit();
            return rows;
        } catch (SQLException e) {
            rollback();
            throw new BufferException("cannot read the buffer: " + e.getMessage(), e);
        }
    }

    /** Removes the given rows (the ones an upload confirmed) and commits. */
    public synchronized void remove(List<BufferedEvent> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
            for (BufferedEvent row : rows) {
                s.setLong(1, row.seq());
                s.addBatch();
            }
            int[] counts = s.executeBatch();
            long removed = 0;
            long bytes = 0;
            for (int i = 0; i < counts.length; i++) {
                // 0 when drop-oldest deleted the row while it was being uploaded.
                if (counts[i] > 0) {
                    removed++;
                    bytes += rows.get(i).body().length();
                }
            }
            if (removed > 0) {
                saveTotals(depth.get() - removed, storedBytes.get() - bytes);
            }
            connection.commit();
            depth.addAndGet(-removed);
            storedBytes.addAndGet(-bytes);
            refreshHead();
        } catch (SQLException e) {
            rollback();
            throw new BufferException("cannot remove uploaded events from the buffer: " + e.getMessage(), e);
        }
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

    /** Characters of event JSON waiting for upload, the measure {@code buffer.maxBytes} bounds. Kept in memory. */
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

    /** When the oldest waiting event was stored, epoch ms, or 0 when the outbox is empty. Kept in memory. */
    public long oldestStoredTime() {
        return headStoredTime;
    }

    public synchronized BufferStats stats() {
        try {
            Map<String, Long> byKind = new LinkedHashMap<>();
            long oldest = 0;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT kind, COUNT(*), MIN(received_time) FROM outbox GROUP BY kind ORDER BY kind")) {
                while (rs.next()) {
                    byKind.put(rs.getString(1), rs.getLong(2));
                    long min = rs.getLong(3);
                    oldest = oldest == 0 ? min : Math.min(oldest, min);
                }
            }
            connection.commit();
            long rows = byKind.values().stream().mapToLong(Long::longValue).sum();
            return new BufferStats(rows, fileSize(), oldest, dropped.get(), deadLetterCount.get(), byKind,
                    storedBytes.get());
        } catch (SQLException e) {
            rollback();
            throw new BufferException("cannot read buffer statistics: " + e.getMessage(), e);
        }
    }

    /** The most recent dead letters, newest first. */
    public synchronized List<StoredDeadLetter> recentDeadLetters(int limit) {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT seq, received_time, topic, reason, payload FROM dead_letter ORDER BY seq DESC LIMIT ?")) {
            s.setInt(1, limit);
            List<StoredDeadLetter> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StoredDeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getBytes(5)));
                }
            }
            connection.commit();
            return rows;
        } catch (SQLException e) {
            rollback();
            throw new BufferException("cannot read dead letters: " + e.getMessage(), e);
        }
    }

    /** Size of the database file; no lock taken, so scrapes never wait for (or stall) the pipeline. */
    public long fileBytes() {
        return fileSize();
    }

    private long fileSize() {
        try {
            return Files.size(directory.resolve(DB_NAME + ".mv.db"));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The bytes the outbox holds, from the totals every append and removal commits with its rows. Summing them
     * instead reads every body: 1.5 s for 440,000 events, and minutes for a full 256 MB buffer on an SD card. When
     * the stored row total does not match the table (a file from a version without the totals), the sum is taken
     * once and stored.
     */
    private long outboxBytes(long rows) throws SQLException {
        if (count("SELECT COALESCE(MAX(amount), -1) FROM counters WHERE name = 'outbox_rows'") == rows) {
            return count("SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = 'outbox_bytes'");
        }
        long bytes = count("SELECT COALESCE(SUM(LENGTH(body)), 0) FROM outbox");
        saveTotals(rows, bytes);
        connection.commit();
        return bytes;
    }

    /** Within the transaction that changes the outbox, so that the totals never disagree with its rows. */
    private void saveTotals(long rows, long bytes) throws SQLException {
        saveTotals.setLong(1, rows);
        saveTotals.setLong(2, bytes);
        saveTotals.executeUpdate();
    }

    private long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("Rolling back a failed buffer transaction also failed: {}", e.getMessage());
        }
    }

    /** Checkpoints, closes the database and releases the directory lock. */
    @Override
    public synchronized void close() {
        try {
            checkpoint();
            try (Statement s = connection.createStatement()) {
                s.execute("SHUTDOWN");
            }
        } catch (SQLException | BufferException e) {
            LOG.warn("The buffer did not shut down cleanly ({}); H2 recovers the file at next start.", e.getMessage());
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the buffer connection after shutdown: {}", e.getMessage());
            }
            lock.close();
        }
        LOG.info("Buffer closed with {} events waiting for upload.", depth.get());
    }
}
