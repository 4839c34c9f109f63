package io.edgeagent.buffer;

import static java.util.Objects.requireNonNull;

import io.edgeagent.event.BufferedEvent;
import io.edgeagent.storage.RowCheck;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The CRC-32C stored with each outbox row ({@code body_crc}), over what the uplink reads back: the event's id, kind,
 * device id, event time and JSON body. H2 does not check a page's bytes (see {@link RowCheck}), and a row damaged
 * inside its page would otherwise be uploaded as it reads: JSON the upstream refuses, so the same batch is sent again
 * for ever, or an id that no delete matches. A row that fails its checksum is damage, dealt with like a page H2
 * cannot read: the buffer quarantines the file and salvages the rows that pass. Rows written before the column
 * existed have none and are not checked.
 */
final class OutboxChecksum {

    static final String COLUMN = "body_crc";
    /** The outbox columns a {@link #forColumns check} needs, in this order, followed by {@link #COLUMN}. */
    private static final List<String> COVERED = List.of("id", "kind", "device_id", "event_time", "body");

    private OutboxChecksum() {
    }

    static int of(String id, String kind, String deviceId, long eventTime, byte[] body) {
        byte[] fields = new byte[3 * Integer.BYTES + 2 * (length(id) + length(kind) + length(deviceId)) + Long.BYTES];
        int at = put(fields, 0, id);
        at = put(fields, at, kind);
        at = put(fields, at, deviceId);
        for (int shift = 56; shift >= 0; shift -= 8) {
            fields[at++] = (byte) (eventTime >>> shift);
        }
        CRC32C crc = new CRC32C();
        // Two calls over arrays, which the JIT turns into the CPU's CRC instruction: 155 ns per row under C1 (70 under
        // C2), against 440 for a call per byte and 185 for an array per string (bench/results/2026-12-07/
        // pipeline-cost-checksum.txt).
        crc.update(fields, 0, at);
        crc.update(body);
        return (int) crc.getValue();
    }

    /** Null only in an event the table's NOT NULL refuses; checksumming it must not be what fails first. */
    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /**
     * The string's length, then its UTF-16 code units (no encoding): with the lengths, a boundary between two fields
     * that moved changes the sum.
     */
    private static int put(byte[] into, int at, String text) {
        int length = length(text);
        for (int shift = 24; shift >= 0; shift -= 8) {
            into[at++] = (byte) (length >>> shift);
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            into[at++] = (byte) (c >>> 8);
            into[at++] = (byte) c;
        }
        return at;
    }

    /**
     * The outbox row at the result set's cursor, read as {@code seq, id, kind, device_id, event_time, body,
     * body_crc}. Fails with {@link DamagedRowException} when it is not what was written: its checksum differs, or
     * a value no longer has its column's type or is missing (damage can change a value's type tag too).
     */
    static BufferedEvent read(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        String problem;
        try {
            String id = rs.getString(2);
            String kind = rs.getString(3);
            String deviceId = rs.getString(4);
            long eventTime = rs.getLong(5);
            byte[] body = rs.getBytes(6);
            Integer stored = rs.getObject(7, Integer.class);
            int actual = stored == null ? 0 : of(id, kind, deviceId, eventTime, body);
            if (id == null || kind == null || deviceId == null || body == null) {
                problem = "a value of a NOT NULL column is missing";
            } else if (stored != null && actual != stored) {
                problem = String.format(Locale.ROOT, "CRC-32C %08x, stored %08x", actual, stored);
            } else {
                return new BufferedEvent(seq, id, kind, deviceId, eventTime, new String(body, StandardCharsets.UTF_8));
            }
        } catch (RuntimeException | SQLDataException e) {
            problem = "a value cannot be read back as its column's type: " + e;
        }
        throw new DamagedRowException("the outbox row with seq " + seq + " reads back other than it was written ("
                + problem + ")");
    }

    /**
     * The check for a salvage or an export reading the outbox as {@code columns} (names in any case); {@link
     * RowCheck#NONE} when they lack a covered column or the checksum (a file from before checksums).
     */
    static RowCheck forColumns(List<String> columns) {
        List<String> lower = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        int crc = lower.indexOf(COLUMN);
        int[] at = COVERED.stream().mapToInt(lower::indexOf).toArray();
        if (crc < 0 || Arrays.stream(at).anyMatch(i -> i < 0)) {
            return RowCheck.NONE;
        }
        return values -> {
            try {
                int actual = of(requireNonNull((String) values[at[0]]), requireNonNull((String) values[at[1]]),
                        requireNonNull((String) values[at[2]]), ((Number) values[at[3]]).longValue(),
                        requireNonNull((byte[]) values[at[4]]));
                return values[crc] == null || ((Number) values[crc]).intValue() == actual;
            } catch (RuntimeException e) {
                // A value of another type than its column's, or missing: damage too, with or without a checksum.
                return false;
            }
        };
    }

    /** A row that failed its checksum: H2's "file corrupted" code, so it is handled as damage to the file. */
    static final class DamagedRowException extends SQLException {
        DamagedRowException(String message) {
            super(message, "90030", org.h2.api.ErrorCode.FILE_CORRUPTED_1);
        }
    }
}
