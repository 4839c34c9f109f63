package io.edgeagent.buffer;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Event;
import io.edgeagent.support.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Thread-safe: every method is synchronized on one JDBC connection. The pipeline thread appends; the uplink thread
 * peeks and removes; admin threads read stats.
 */
public final class H2Buffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Buffer.class);
    private static final String DB_NAME = "buffer";
    /** Dead-letter payloads are kept for diagnosis, not replay; beyond this they are truncated and the reason says so. */
    static final int MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;
    /** H2's "file corrupted" error code. */
    private static final int FILE_CORRUPTED = 90030;

    private final Path directory;
    private final BufferConfig config;
    private final DataDirectoryLock lock;
    private final Connection connection;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertDeadLetter;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();

    private H2Buffer(Path directory, BufferConfig config, DataDirectoryLock lock, Connection connection)
            throws SQLException {
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.connection = connection;
        this.insertEvent = connection.prepareStatement(
                "INSERT INTO outbox(id, kind, device_id, event_time, received_time, body) VALUES (?, ?, ?, ?, ?, ?)");
        this.insertDeadLetter = connection.prepareStatement(
                "INSERT INTO dead_letter(received_time, topic, reason, payload) VALUES (?, ?, ?, ?)");
        depth.set(count("SELECT COUNT(*) FROM outbox"));
        deadLetterCount.set(count("SELECT COUNT(*) FROM dead_letter"));
    }

    /**
     * Opens (or creates) the buffer in {@code directory}, holding the directory's lock until {@link #close}. A
     * corrupt database file is moved aside and a fresh one started, with an error in the log: an agent that cannot
     * start is worse than one that lost an unreadable file, which stays on disk for recovery.
     */
    public static H2Buffer open(Path directory, BufferConfig config) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        try {
            Connection connection;
            try {
                connection = connect(directory);
            } catch (SQLException e) {
                if (!isCorruption(e)) {
                    throw e;
                }
                Path moved = quarantine(directory);
                LOG.error("The buffer database in {} is corrupt ({}); moved it to {} and started an empty buffer. "
                        + "Events in the old file were not uploaded.", directory, e.getMessage(), moved);
                connection = connect(directory);
            }
            H2Buffer buffer = new H2Buffer(directory, config, lock, connection);
            LOG.info("Buffer opened in {} with {} events waiting for upload and {} dead letters.", directory,
                    buffer.depth(), buffer.deadLetterCount.get());
            return buffer;
        } catch (SQLException | IOException e) {
            lock.close();
            throw new BufferException("cannot open the buffer in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static Connection connect(Path directory) throws SQLException {
        // DB_CLOSE_ON_EXIT=FALSE: the agent closes the database last in its own ordered shutdown, not H2's hook.
        // TRACE_LEVEL_FILE=4: H2's own messages go to SLF4J instead of a .trace.db file.
        String url = "jdbc:h2:file:" + directory.resolve(DB_NAME).toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4";
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS outbox ("
                    + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    + "id VARCHAR(200) NOT NULL, kind VARCHAR(32) NOT NULL, device_id VARCHAR(500) NOT NULL, "
                    + "event_time BIGINT NOT NULL, received_time BIGINT NOT NULL, body VARCHAR(1000000) NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS dead_letter ("
                    + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, received_time BIGINT NOT NULL, "
                    + "topic VARCHAR(65535) NOT NULL, reason VARCHAR(4000) NOT NULL, payload VARBINARY(65536) NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS counters (name VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)");
        }
        connection.setAutoCommit(false);
        connection.commit();
        return connection;
    }

    private static boolean isCorruption(SQLException e) {
        if (e.getErrorCode() == FILE_CORRUPTED) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("corrupt")) {
                return true;
            }
        }
        return false;
    }

    private static Path quarantine(Path directory) throws IOException {
        Path file = directory.resolve(DB_NAME + ".mv.db");
        Path moved = directory.resolve(DB_NAME + ".mv.db.corrupt-" + Instant.now().toEpochMilli());
        Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
        return moved;
    }

    /**
     * Appends events and dead letters in one committed transaction. Not durable until the next {@link #checkpoint}.
     */
    public synchronized void append(List<? extends Event> events, List<DeadLetter> deadLetters) {
        if (events.isEmpty() && deadLetters.isEmpty()) {
            return;
        }
        try {
            for (Event event : events) {
                insertEvent.setString(1, event.id());
                insertEvent.setString(2, event.kind());
                insertEvent.setString(3, event.deviceId());
                insertEvent.setLong(4, event.eventTime());
                insertEvent.setLong(5, event.receivedTime());
                insertEvent.setString(6, EventJson.toJson(event));
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
            if (!events.isEmpty()) {
                insertEvent.executeBatch();
            }
            if (!deadLetters.isEmpty()) {
                insertDeadLetter.executeBatch();
            }
            connection.commit();
            depth.addAndGet(events.size());
            appended.addAndGet(events.size());
            deadLetterCount.addAndGet(deadLetters.size());
        } catch (SQLException e) {
            rollback();
            throw new BufferException("cannot append " + events.size() + " events to the buffer: " + e.getMessage(), e);
        }
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
            int removed = Arrays.stream(s.executeBatch()).sum();
            connection.commit();
            depth.addAndGet(-removed);
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
            long dropped = count("SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = 'dropped'");
            connection.commit();
            long rows = byKind.values().stream().mapToLong(Long::longValue).sum();
            return new BufferStats(rows, fileSize(), oldest, dropped, deadLetterCount.get(), byKind);
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

    private long fileSize() {
        try {
            return Files.size(directory.resolve(DB_NAME + ".mv.db"));
        } catch (IOException e) {
            return 0;
        }
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
