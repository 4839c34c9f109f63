package io.edgeagent.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads every readable row of one table of a damaged H2 database, in row-key order, past pages that cannot be read.
 *
 * <p>H2 stores a table's rows in a B-tree keyed by {@code _ROWID_} (the primary key when it is one integer column;
 * positive, as identity columns and H2's own row ids start at 1).
 * Rows are read in pages of up to {@link #PAGE} keys after the last key read. When a read fails, the page shrinks to
 * one row, so every row before the damage is kept; when a single row cannot be read, probes from ever larger key
 * offsets (1, 2, 4, ...) find a key from which reading works again, and a binary search narrows the skipped range
 * down to the damaged pages. A damaged region thus costs about twice the logarithm of its width in queries, and the
 * search is bounded: it ends at the largest key H2 can hold. Rows that read but fail the caller's {@link RowCheck}
 * are left out and counted.
 */
public final class H2TableReader {

    /** Receives each readable row: the values of the requested columns, in order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(Object[] values) throws SQLException, IOException;
    }

    /**
     * What a read found: the rows the table's own count promised ({@code -1} when even that could not be read),
     * the rows read intact, the number of unreadable key ranges skipped, and the rows that read but failed the
     * {@link RowCheck} (not counted as read).
     */
    public record Result(long expected, long read, int skippedRanges, long failedCheck) {

        /** Rows promised but not read intact; 0 when the count itself was unreadable. */
        public long unreadable() {
            return Math.max(0, expected - read);
        }
    }

    static final int PAGE = 1000;
    private static final long LAST_PROBE = Long.MAX_VALUE / 2;

    private final PreparedStatement select;
    private final RowCheck check;

    private H2TableReader(PreparedStatement select, RowCheck check) {
        this.select = select;
        this.check = check;
    }

    /**
     * Reads {@code columns} of every readable row of {@code table} into {@code sink}, leaving out the rows that
     * {@code check} (made for {@code columns}) finds damaged.
     */
    public static Result read(Connection connection, String table, List<String> columns, RowCheck check,
                              RowSink sink) throws SQLException, IOException {
        long expected = count(connection, table);
        String sql = "SELECT _ROWID_, " + String.join(", ", columns) + " FROM " + table
                + " WHERE _ROWID_ >= ? ORDER BY _ROWID_ LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            return new H2TableReader(select, check).readAll(expected, columns.size(), sink);
        }
    }

    /** The row count H2 keeps in the table's B-tree (no rows are read), or -1 when it cannot be read either. */
    private static long count(Connection connection, String table) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private Result readAll(long expected, int columns, RowSink sink) throws SQLException, IOException {
        long after = 0;
        long read = 0;
        long failedCheck = 0;
        int skipped = 0;
        int limit = PAGE;
        while (true) {
            List<Object[]> rows = page(after, limit, columns);
            if (rows != null && rows.isEmpty()) {
                return new Result(expected, read, skipped, failedCheck);
            }
            if (rows != null) {
                for (Object[] row : rows) {
                    Object[] values = Arrays.copyOfRange(row, 1, row.length);
                    if (check.intact(values)) {
                        sink.accept(values);
                        read++;
                    } else {
                        failedCheck++;
                    }
                    after = ((Number) row[0]).longValue();
                }
                limit = Math.min(PAGE, limit * 2);
            } else if (limit > 1) {
                limit = 1;
            } else {
                long resume = resumeAfter(after, columns);
                if (resume == Long.MAX_VALUE) {
                    return new Result(expected, read, skipped + 1, failedCheck);
                }
                skipped++;
                after = resume;
                limit = PAGE;
            }
        }
    }

    /**
     * The smallest start key after {@code failing} from which a one-row read works, or {@link Long#MAX_VALUE} when
     * none does up to {@link #LAST_PROBE}.
     */
    private long resumeAfter(long failing, int columns) throws SQLException {
        if (failing >= LAST_PROBE) {
            return Long.MAX_VALUE;
        }
        long low = failing;
        long high;
        // failing < LAST_PROBE = MAX/2 and step <= 2^62 before high reaches LAST_PROBE: no overflow.
        for (long step = 1; ; step *= 2) {
            high = Math.min(LAST_PROBE, failing + step);
            if (page(high, 1, columns) != null) {
                break;
            }
            if (high == LAST_PROBE) {
                return Long.MAX_VALUE;
            }
            low = high;
        }
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (page(mid, 1, columns) != null) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    /**
     * Up to {@code limit} rows after {@code after} (row key first), or null when H2 cannot read them. Asked as
     * {@code >= after + 1}: H2 starts a {@code > after} scan at the page holding {@code after}, so the first row of
     * the page after a damaged one was readable only through the damaged page, and was lost with it.
     */
    private List<Object[]> page(long after, int limit, int columns) throws SQLException {
        select.setLong(1, after + 1);
        select.setInt(2, limit);
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[columns + 1];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            if (!isDamage(e)) {
                throw e;
            }
            return null;
        }
    }

    /**
     * Whether a failed read is the file's fault (a page H2 cannot read or decode) rather than, say, a closed
     * connection, which would make every probe fail for a reason the skipping cannot help with.
     */
    private static boolean isDamage(SQLException e) {
        return e.getErrorCode() != org.h2.api.ErrorCode.OBJECT_CLOSED
                && e.getErrorCode() != org.h2.api.ErrorCode.DATABASE_IS_CLOSED;
    }
}
