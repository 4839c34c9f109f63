package io.edgeagent.buffer;

import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox rows and their totals on one connection of the buffer. Every method runs in the caller's transaction;
 * the caller commits. The totals (rows and bytes) are written with every change, so opening a full buffer reads no
 * bodies.
 */
final class OutboxTable {

    private static final String INSERT_EVENTS =
            "INSERT INTO outbox(id, kind, device_id, event_time, received_time, stored_time, body, "
                    + OutboxChecksum.COLUMN + ") VALUES ";
    private static final String COLUMNS = "seq, " + String.join(", ", OutboxChecksum.CHECKED);
    /**
     * Rows per multi-row INSERT, the most. Executing a statement (H2's command set-up, locks, undo bookkeeping) cost
     * about as much as inserting the row itself when each event was its own statement.
     */
    static final int ROWS_PER_INSERT = 64;
    /** Values bound per event row (see {@link #bindEvent}). */
    private static final int EVENT_COLUMNS = 8;
    /** Rows examined per query while dropping, so one huge drop does not load the whole outbox into memory. */
    private static final int DROP_CHUNK = 1000;

    private final Connection connection;
    /**
     * {@code inserts[k]} inserts 2<sup>k</sup> rows, up to {@link #ROWS_PER_INSERT}: a batch of n events takes one
     * statement per 64 and one per set bit of the rest (14 events: 8, 4 and 2), so H2's per-statement work is paid
     * a few times per batch, not once per row. A live pipeline's batches are a dozen events or so.
     */
    private final PreparedStatement[] inserts;
    private final PreparedStatement saveTotals;

    OutboxTable(Connection connection) throws SQLException {
        this.connection = connection;
        this.inserts = new PreparedStatement[Integer.numberOfTrailingZeros(ROWS_PER_INSERT) + 1];
        for (int k = 0; k < inserts.length; k++) {
            inserts[k] = connection.prepareStatement(
                    INSERT_EVENTS + String.join(", ", Collections.nCopies(1 << k, "(?, ?, ?, ?, ?, ?, ?, ?)")));
        }
        this.saveTotals = connection.prepareStatement(
                "MERGE INTO counters(name, amount) KEY(name) VALUES ('outbox_rows', ?), ('outbox_bytes', ?)");
    }

    /** Inserts the events in list order (so seq follows it), stamped {@code storedTime}. */
    void insert(List<? extends Event> events, List<byte[]> bodies, long storedTime) throws SQLException {
        int done = 0;
        while (done < events.size()) {
            int rows = Math.min(ROWS_PER_INSERT, Integer.highestOneBit(events.size() - done));
            PreparedStatement insert = inserts[Integer.numberOfTrailingZeros(rows)];
            for (int i = 0; i < rows; i++) {
                bindEvent(insert, i * EVENT_COLUMNS, events.get(done + i), storedTime, bodies.get(done + i));
            }
            insert.executeUpdate();
            done += rows;
        }
    }

    private static void bindEvent(PreparedStatement s, int offset, Event event, long storedTime, byte[] body)
            throws SQLException {
        s.setString(offset + 1, event.id());
        s.setString(offset + 2, event.kind());
        s.setString(offset + 3, event.deviceId());
        s.setLong(offset + 4, event.eventTime());
        s.setLong(offset + 5, event.receivedTime());
        s.setLong(offset + 6, storedTime);
        s.setBytes(offset + 7, body);
        s.setInt(offset + 8, OutboxChecksum.of(event.id(), event.kind(), event.deviceId(), event.eventTime(), body));
    }

    /** Rows and bytes a delete took out. */
    record Removed(long rows, long bytes) {
    }

    /**
     * Deletes the given rows. A row matches by seq and id: after the store was reopened and lost writes were
     * replayed, a seq may name another event, which must stay.
     */
    Removed delete(List<BufferedEvent> rows) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM outbox WHERE seq = ? AND id = ?")) {
            for (BufferedEvent row : rows) {
                s.setLong(1, row.seq());
                s.setString(2, row.id());
                s.addBatch();
            }
            int[] counts = s.executeBatch();
            long removed = 0;
            long bytes = 0;
            for (int i = 0; i < counts.length; i++) {
                // 0 when drop-oldest deleted the row while it was being uploaded.
                if (counts[i] > 0) {
                    removed++;
                    bytes += utf8Length(rows.get(i).body());
                }
            }
            return new Removed(removed, bytes);
        }
    }

    /** The bytes {@code body} was stored as, counted without encoding it again. */
    static long utf8Length(String body) {
        long bytes = body.length();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c >= 0x80) {
                // Two bytes below U+0800; three above; a surrogate pair four, two for each half.
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /** Whether a row of this event stored at {@code storedTime} exists (a replayed append that did reach the file). */
    boolean contains(String id, long storedTime) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM outbox WHERE id = ? AND stored_time = ? LIMIT 1")) {
            s.setString(1, id);
            s.setLong(2, storedTime);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    List<BufferedEvent> oldest(int max) throws SQLException {
        return select("SELECT " + COLUMNS + " FROM outbox ORDER BY seq LIMIT ?", max);
    }

    /** Newest first. */
    List<BufferedEvent> newestAfter(long afterSeq, int max) throws SQLException {
        return select("SELECT " + COLUMNS + " FROM outbox WHERE seq > " + afterSeq + " ORDER BY seq DESC LIMIT ?", max);
    }

    List<BufferedEvent> after(long afterSeq, int max) throws SQLException {
        return select("SELECT " + COLUMNS + " FROM outbox WHERE seq > " + afterSeq + " ORDER BY seq LIMIT ?", max);
    }

    /** Fails with {@link OutboxChecksum.DamagedRowException} on a row that is not what was written. */
    private List<BufferedEvent> select(String sql, int max) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setInt(1, max);
            List<BufferedEvent> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(OutboxChecksum.read(rs));
                }
            }
            return rows;
        }
    }

    /** Within the transaction that changes the outbox, so that the totals never disagree with its rows. */
    void saveTotals(long rows, long bytes) throws SQLException {
        saveTotals.setLong(1, rows);
        saveTotals.setLong(2, bytes);
        saveTotals.executeUpdate();
    }

    long rows() throws SQLException {
        return StoreSession.count(connection, "SELECT COUNT(*) FROM outbox");
    }

    /**
     * The bytes the outbox holds, from the totals every append and removal commits with its rows. Summing them
     * instead reads every body: 1.5 s for 440,000 events, and minutes for a full 256 MB buffer on an SD card. When
     * the stored row total does not match the table, or a total is missing (a file from a version without the
     * totals), the sum is taken once and stored (the caller commits).
     */
    long bytes(long rows) throws SQLException {
        long stored = StoreSession.count(connection,
                "SELECT COALESCE(MAX(amount), -1) FROM counters WHERE name = 'outbox_bytes'");
        if (stored >= 0 && StoreSession.count(connection,
                "SELECT COALESCE(MAX(amount), -1) FROM counters WHERE name = 'outbox_rows'") == rows) {
            return stored;
        }
        long bytes = StoreSession.count(connection, "SELECT COALESCE(SUM(LENGTH(body)), 0) FROM outbox");
        saveTotals(rows, bytes);
        return bytes;
    }

    long dropped() throws SQLException {
        return StoreSession.count(connection, "SELECT COALESCE(MAX(amount), 0) FROM counters WHERE name = 'dropped'");
    }

    void saveDropped(long total) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "MERGE INTO counters(name, amount) KEY(name) VALUES ('dropped', ?)")) {
            s.setLong(1, total);
            s.executeUpdate();
        }
    }

    /** When the oldest row was stored, epoch ms (at least 1); 0 when the outbox is empty. */
    long headStoredTime() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT stored_time FROM outbox ORDER BY seq LIMIT 1")) {
            return rs.next() ? Math.max(1, rs.getLong(1)) : 0;
        }
    }

    /**
     * Deletes the oldest rows while more than {@code excess} bytes are to go or they were stored before
     * {@code cutoff}.
     */
    BoundPolicy.Drop dropOldest(long excess, long cutoff) throws SQLException {
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
        return new BoundPolicy.Drop(rows, bytes, firstSeq, lastSeq, oldestReceived, "");
    }

    /** Rows per kind and the oldest receive time, for {@link BufferStats}. */
    record KindCounts(Map<String, Long> byKind, long oldestReceived) {
    }

    KindCounts countByKind() throws SQLException {
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
        return new KindCounts(byKind, oldest);
    }
}
