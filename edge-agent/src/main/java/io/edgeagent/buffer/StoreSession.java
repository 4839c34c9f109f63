package io.edgeagent.buffer;

import io.edgeagent.storage.H2Files;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One open connection to the buffer's file and the tables prepared on it. The buffer replaces the whole session when
 * the store is reopened after a fault, so nothing prepared on a dead connection survives.
 */
final class StoreSession implements AutoCloseable {

    static final String DB_NAME = "buffer";

    final Connection connection;
    final OutboxTable outbox;
    final DeadLetterTable deadLetters;

    private StoreSession(Connection connection) throws SQLException {
        this.connection = connection;
        this.outbox = new OutboxTable(connection);
        this.deadLetters = new DeadLetterTable(connection);
    }

    /**
     * Opens (or creates) the file through H2's file system {@code scheme}; {@code opened} receives H2Files' report
     * (whether a corrupt file was moved aside).
     */
    static StoreSession open(String scheme, Path directory, long nowMillis, Consumer<H2Files.Opened> opened)
            throws SQLException, IOException {
        H2Files.Opened result = H2Files.open(scheme, directory, DB_NAME, BufferSchema::create, nowMillis);
        opened.accept(result);
        Connection connection = result.connection();
        try {
            connection.setAutoCommit(false);
            return new StoreSession(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void commit() throws SQLException {
        connection.commit();
    }

    /** Rolls back a failed transaction; a store that failed cannot, and is reopened anyway. */
    void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The caller reports the original failure; this one adds nothing.
        }
    }

    /** Writes everything committed so far to the file ({@code sync}: to the device). */
    void checkpoint(boolean sync) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sync ? "CHECKPOINT SYNC" : "CHECKPOINT");
        }
    }

    /**
     * Writes and checkpoints a row, so a reopened store is known to take writes again: opening needs no free space,
     * and a store that only opened would fail again at the next append.
     */
    void proveWritable(long nowMillis, boolean sync) throws SQLException {
        writeMarker("reopened", nowMillis, sync);
    }

    /** Writes, commits and checkpoints one row of the counters table (see {@link #proveWritable}). */
    void writeMarker(String name, long nowMillis, boolean sync) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "MERGE INTO counters(name, amount) KEY(name) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setLong(2, nowMillis);
            s.executeUpdate();
        }
        commit();
        checkpoint(sync);
    }

    /**
     * Bytes of the file's free blocks, which H2 writes into before it grows the file. Pages it replaced are kept for
     * its retention time (45 s) and only then freed, at a write; 0 when H2's figures cannot be read.
     */
    long freeBytesInFile() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT SETTING_NAME, "
                + "SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_SIZE', "
                + "'info.FILL_RATE')")) {
            Map<String, Long> info = new HashMap<>();
            while (rs.next()) {
                info.put(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
            long size = info.getOrDefault("info.FILE_SIZE", 0L);
            return Math.max(0, size * (100 - info.getOrDefault("info.FILL_RATE", 100L)) / 100);
        } catch (SQLException | NumberFormatException e) {
            return 0;
        }
    }

    /** Checkpoints and shuts the database down, for an orderly close. */
    void shutdown(boolean sync) throws SQLException {
        checkpoint(sync);
        try (Statement s = connection.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
