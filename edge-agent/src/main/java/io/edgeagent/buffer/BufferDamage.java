package io.edgeagent.buffer;

import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.RowCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer's side of quarantine and salvage ({@link H2Salvage}): the outbox's rows are the events the headline
 * counts, and the events lost are added to the {@value #LOST_COUNTER} row of the {@code counters} table, so the count
 * survives restarts and further salvages and is reported by status and /metrics.
 */
public final class BufferDamage {

    private static final Logger LOG = LoggerFactory.getLogger(BufferDamage.class);

    /** The {@code counters} row that holds the events lost to a damaged file, over the buffer's life. */
    public static final String LOST_COUNTER = "lost";

    private BufferDamage() {
    }

    /** Before the buffer opens: quarantine and salvage {@code buffer.mv.db} if the structural check finds damage. */
    static void salvageIfDamaged(Path directory, H2Files.Schema schema, long nowMillis) throws IOException, SQLException {
        Optional<H2Salvage.Salvage> salvaged = H2Salvage.checkAtOpen(directory, target(directory, schema), nowMillis);
        if (salvaged.isEmpty()) {
            String behind = behindCommittedDepth(directory);
            if (behind != null) {
                salvaged = Optional.of(H2Salvage.quarantineAndSalvage(directory, target(directory, schema), behind,
                        nowMillis));
            }
        }
        if (salvaged.isPresent()) {
            CommittedDepth.forget(directory);
        }
    }

    /**
     * Why the file is older than what was committed, or null. H2 opens the newest version whose chunks it can read,
     * and the version its header names, which {@link io.edgeagent.storage.H2FileCheck} compares against, is rewritten
     * only now and then: a young file whose newest chunks are damaged opened at its first version, from before the
     * buffer's tables, and looked like an empty buffer (OutboxFuzzTest). The outbox's row count at the last
     * checkpoint is kept outside the file ({@link CommittedDepth}); a file that opens with fewer rows has lost its
     * newest versions. Every write that lowers the count records it before its commit, so an intact file never
     * holds fewer.
     */
    private static String behindCommittedDepth(Path directory) {
        long committed = CommittedDepth.read(directory);
        Path file = directory.resolve(StoreSession.DB_NAME + ".mv.db");
        if (committed <= 0 || !Files.exists(file)) {
            return null;
        }
        long rows;
        try (H2Files.ReadOnly old = H2Files.openReadOnly(file); Statement s = old.connection().createStatement()) {
            rows = BufferSchema.hasTable(s) ? StoreSession.count(old.connection(), "SELECT COUNT(*) FROM outbox") : 0;
        } catch (SQLException e) {
            // Opening it fails the same way in a moment, where a damaged page already takes the salvage path.
            return null;
        } catch (IOException e) {
            // The read-only copy's link directory cannot be made (a full disk): the agent must still start, and the
            // free-space guard holds ingest; the check runs again at the next start.
            LOG.warn("Cannot compare the buffer file with {} ({}); starting without that check.", CommittedDepth.FILE,
                    e.getMessage());
            return null;
        }
        return rows >= committed ? null : "it opens at an older version holding " + rows + " events, where " + committed
                + " were committed at the last checkpoint (" + CommittedDepth.FILE + "): its newest chunks are damaged "
                + "or missing";
    }

    /**
     * For a caller that found damage itself (a page that cannot be read at runtime): with the buffer closed, moves
     * {@code buffer.mv.db} aside, copies every readable row into a fresh file and counts the lost events. The
     * caller then opens the buffer again.
     */
    public static H2Salvage.Salvage quarantineAndSalvage(Path directory, H2Files.Schema schema, String problem,
                                                         long nowMillis) throws IOException, SQLException {
        H2Salvage.Salvage salvage = H2Salvage.quarantineAndSalvage(directory, target(directory, schema), problem,
                nowMillis);
        CommittedDepth.forget(directory);
        return salvage;
    }

    /**
     * The outbox columns to read from a (quarantined) buffer file to export its events: {@code body} first, then
     * what its rows' checksums cover, when the file has them (see {@link #outboxCheck}).
     */
    public static List<String> exportColumns(Connection file) throws SQLException {
        try (Statement s = file.createStatement()) {
            return BufferSchema.hasColumn(s, OutboxChecksum.COLUMN.toUpperCase(Locale.ROOT), null)
                    ? OutboxChecksum.CHECKED : List.of("body");
        }
    }

    /** The check that leaves out outbox rows that are not what was written, for rows read as {@code columns}. */
    public static RowCheck outboxCheck(List<String> columns) {
        return OutboxChecksum.forColumns(columns);
    }

    /**
     * Outbox rows are checked against their checksums; a file from before {@code stored_time} gives its rows their
     * receive time, as {@link BufferSchema} does when it upgrades such a file (the default, 0, would age every
     * salvaged row out at the next append).
     */
    private static final H2Salvage.TableRules RULES = new H2Salvage.TableRules() {
        @Override
        public RowCheck check(String table, List<String> columns) {
            return table.equals("OUTBOX") ? outboxCheck(columns) : RowCheck.NONE;
        }

        @Override
        public String standIn(String table, String column) {
            return table.equals("OUTBOX") && column.equals("STORED_TIME") ? BufferSchema.STORED_TIME_BEFORE : null;
        }
    };

    private static H2Salvage.Target target(Path directory, H2Files.Schema schema) {
        return new H2Salvage.Target(StoreSession.DB_NAME, schema, "outbox", "events", (fresh, lost) -> {
            try (PreparedStatement p = fresh.prepareStatement("MERGE INTO counters(name, amount) KEY(name) "
                    + "SELECT ?, COALESCE(MAX(amount), 0) + ? FROM counters WHERE name = ?")) {
                p.setString(1, LOST_COUNTER);
                p.setLong(2, lost);
                p.setString(3, LOST_COUNTER);
                p.executeUpdate();
            }
        }, CommittedDepth.read(directory), RULES);
    }
}
