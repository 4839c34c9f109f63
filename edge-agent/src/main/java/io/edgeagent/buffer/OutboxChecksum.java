package io.edgeagent.buffer;

import io.edgeagent.storage.RowCheck;
import java.nio.charset.StandardCharsets;
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
        CRC32C crc = new CRC32C();
        for (String text : new String[] {id, kind, deviceId}) {
            // Null only in an event the table's NOT NULL refuses; checksumming it must not be what fails first.
            if (text != null) {
                crc.update(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (eventTime >>> shift));
        }
        crc.update(body);
        return (int) crc.getValue();
    }

    /**
     * Throws when a row read back is not what was written. {@code stored} is the row's checksum, null for rows written
     * before checksums.
     */
    static void verify(long seq, String id, String kind, String deviceId, long eventTime, byte[] body, Integer stored)
            throws DamagedRowException {
        if (stored == null) {
            return;
        }
        int actual = of(id, kind, deviceId, eventTime, body);
        if (actual != stored) {
            throw new DamagedRowException(String.format(Locale.ROOT, "the outbox row with seq %d reads back other "
                    + "than it was written (CRC-32C %08x, stored %08x)", seq, actual, stored));
        }
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
        return values -> values[crc] == null || ((Number) values[crc]).intValue() == of((String) values[at[0]],
                (String) values[at[1]], (String) values[at[2]], ((Number) values[at[3]]).longValue(),
                (byte[]) values[at[4]]);
    }

    /** A row that failed its checksum: H2's "file corrupted" code, so it is handled as damage to the file. */
    static final class DamagedRowException extends SQLException {
        DamagedRowException(String message) {
            super(message, "90030", org.h2.api.ErrorCode.FILE_CORRUPTED_1);
        }
    }
}
