package io.edgeagent.buffer;

import io.edgeagent.event.DeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Payloads that did not decode, with the reason, on one connection of the buffer. */
final class DeadLetterTable {

    /** Dead-letter payloads are kept for diagnosis, not replay; beyond this they are truncated and the reason says so. */
    static final int MAX_PAYLOAD = 64 * 1024;
    private static final int MAX_REASON = 4000;

    private final Connection connection;
    private final PreparedStatement insert;

    DeadLetterTable(Connection connection) throws SQLException {
        this.connection = connection;
        this.insert = connection.prepareStatement(
                "INSERT INTO dead_letter(received_time, topic, reason, payload) VALUES (?, ?, ?, ?)");
    }

    /** Inserts within the caller's transaction. */
    void insert(List<DeadLetter> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        try {
            for (DeadLetter dl : deadLetters) {
                insert.setLong(1, dl.receivedTime());
                insert.setString(2, dl.topic());
                byte[] payload = dl.payload();
                String reason = dl.reason();
                if (payload.length > MAX_PAYLOAD) {
                    reason = reason + " (payload of " + payload.length + " bytes truncated to " + MAX_PAYLOAD + ")";
                    payload = Arrays.copyOf(payload, MAX_PAYLOAD);
                }
                insert.setString(3, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
                insert.setBytes(4, payload);
                insert.addBatch();
            }
            insert.executeBatch();
        } finally {
            insert.clearBatch();
        }
    }

    long count() throws SQLException {
        return StoreSession.count(connection, "SELECT COUNT(*) FROM dead_letter");
    }

    /** The most recent dead letters, newest first. */
    List<StoredDeadLetter> recent(int limit) throws SQLException {
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
            return rows;
        }
    }
}
