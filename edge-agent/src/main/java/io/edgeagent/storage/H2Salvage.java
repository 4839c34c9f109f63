package io.edgeagent.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quarantine and salvage of a damaged H2 database file: the file is moved aside under a name that says when and
 * why ({@code <name>.mv.db.corrupt-<millis>}), a fresh database is created with the current schema, and every row
 * that can still be read is copied into it, table by table, in key order ({@link H2TableReader}). The quarantined
 * file is only ever opened read-only, so it stays as it was for {@code buffer export --from} or a person.
 *
 * <p>One WARN line says what happened with numbers: rows the damaged file's tables promised, rows recovered, rows
 * lost. {@link #checkAtOpen} runs the cheap structural check ({@link H2FileCheck}) first and does nothing for an
 * intact file; {@link #quarantineAndSalvage} is for a caller that found damage itself (a page that failed to read).
 */
public final class H2Salvage {

    private static final Logger LOG = LoggerFactory.getLogger(H2Salvage.class);
    private static final int INSERT_BATCH = 1000;

    /**
     * One kind of database: its file name ({@code name}.mv.db), its schema, the table whose rows the headline counts
     * and what to call them ("events"), how to record the number lost in the fresh database (may be null), the
     * main table's row count recorded outside the file (-1: none), and what it knows of its tables beyond H2.
     */
    public record Target(String name, H2Files.Schema schema, String mainTable, String rowsAre, LostRecorder lost,
                         long knownExpected, TableRules rules) {

        /** Without a count recorded outside the file and without table rules. */
        public Target(String name, H2Files.Schema schema, String mainTable, String rowsAre, LostRecorder lost) {
            this(name, schema, mainTable, rowsAre, lost, -1, new TableRules() { });
        }
    }

    /** What a salvage knows of one kind of database's tables beyond what H2 records. Names are H2's (upper case). */
    public interface TableRules {

        /** The check that tells damaged rows of {@code table} read as {@code columns}. */
        default RowCheck check(String table, List<String> columns) {
            return RowCheck.NONE;
        }

        /**
         * For a file written before {@code table} had {@code column}: the column of that file whose values it takes
         * in the fresh file, or null for the column's default.
         */
        default String standIn(String table, String column) {
            return null;
        }
    }

    /** Stores the number of rows lost in the fresh database, in the transaction that holds the recovered rows. */
    @FunctionalInterface
    public interface LostRecorder {
        void record(Connection fresh, long lost) throws SQLException;
    }

    /**
     * A finished salvage. {@code expected} and {@code recovered} are the main table's rows (expected -1: unknown,
     * the damaged file's own count was unreadable); {@code tables} has every table's result. A file cut short opens
     * at its newest complete version, whose counts do not include what was committed later: {@code versionsCutOff}
     * is how many versions (about one checkpoint each) the file header records beyond it, 0 if none or unknown.
     */
    public record Salvage(Path quarantined, String problem, long expected, long recovered,
                          Map<String, H2TableReader.Result> tables, long versionsCutOff) {

        /** Main-table rows known to be lost (0 when the expected number is unknown). */
        public long lost() {
            return Math.max(0, expected - recovered);
        }
    }

    private H2Salvage() {
    }

    /**
     * Whether a failed statement found damage in the file (a page or chunk H2 cannot read): H2's FILE_CORRUPTED, or
     * its general error wrapping the MVStore's "file corrupt" (how a damaged page shows when a query reads it).
     */
    public static boolean isDamage(SQLException e) {
        if (e.getErrorCode() == org.h2.api.ErrorCode.FILE_CORRUPTED_1) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof org.h2.mvstore.MVStoreException m
                    && m.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_CORRUPT) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks {@code <directory>/<name>.mv.db} before it is opened and, if it is damaged, quarantines it and salvages
     * its readable rows into a fresh file. Empty when the file is intact or does not exist.
     */
    public static Optional<Salvage> checkAtOpen(Path directory, Target target, long nowMillis)
            throws IOException, SQLException {
        Optional<String> problem = H2FileCheck.problem(directory.resolve(target.name() + ".mv.db"));
        if (problem.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(quarantineAndSalvage(directory, target, problem.get(), nowMillis));
    }

    /**
     * Quarantines the (closed) database file and copies every readable row into a fresh one in its place; the
     * caller then opens it as usual. {@code problem} says what is wrong, for the log.
     *
     * <p>Crash-safe: the damaged file first gets its quarantine name as a second link (a copy where links are not
     * supported), the rows go into {@code <name>-salvage.mv.db}, and only the complete fresh file is renamed over
     * {@code <name>.mv.db}. A salvage cut short (a kill, a full disk) leaves the damaged file in place, so the next
     * start finds it and salvages it again, never a half-filled buffer that looks healthy.
     */
    public static Salvage quarantineAndSalvage(Path directory, Target target, String problem, long nowMillis)
            throws IOException, SQLException {
        Path file = directory.resolve(target.name() + ".mv.db");
        Path quarantined = directory.resolve(target.name() + ".mv.db.corrupt-" + nowMillis);
        String salvageName = target.name() + "-salvage";
        Path salvaged = directory.resolve(salvageName + ".mv.db");
        Files.deleteIfExists(salvaged);
        try {
            Files.createLink(quarantined, file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, quarantined);
        }
        Map<String, H2TableReader.Result> tables = new LinkedHashMap<>();
        Salvage salvage;
        String unreadable;
        try (Connection fresh = H2Files.connect(H2Files.DISK, directory, salvageName, target.schema())) {
            fresh.setAutoCommit(false);
            unreadable = copyReadableRows(quarantined, fresh, target.rules(), tables);
            H2TableReader.Result main = tables.get(target.mainTable().toUpperCase(Locale.ROOT));
            long expected = Math.max(main == null ? -1 : main.expected(), target.knownExpected());
            long recovered = main == null ? 0 : main.read();
            salvage = new Salvage(quarantined, problem, expected, recovered, Collections.unmodifiableMap(tables),
                    H2FileCheck.versionsCutOff(quarantined));
            if (target.lost() != null && salvage.lost() > 0) {
                target.lost().record(fresh, salvage.lost());
            }
            fresh.commit();
        }
        Files.move(salvaged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log(file, target, salvage, unreadable);
        return salvage;
    }

    /**
     * Copies table by table; returns why the damaged file (or a table of it) could not be read, or null. Never fails
     * on the damaged side: the agent must start with whatever was saved.
     */
    private static String copyReadableRows(Path damaged, Connection fresh, TableRules rules,
                                           Map<String, H2TableReader.Result> tables) throws IOException {
        H2Files.ReadOnly old;
        try {
            old = H2Files.openReadOnly(damaged);
        } catch (SQLException e) {
            return "H2 cannot open it at all: " + e.getMessage();
        }
        String unreadable = null;
        try (old) {
            List<String> present = tables(old.connection());
            for (String table : tables(fresh)) {
                if (present.contains(table)) {
                    try {
                        tables.put(table, copy(old.connection(), fresh, table, rules));
                    } catch (SQLException e) {
                        tables.put(table, new H2TableReader.Result(-1, 0, 0, 0));
                        unreadable = "table " + table + " could not be copied: " + e.getMessage();
                    }
                }
            }
        } catch (SQLException e) {
            unreadable = "H2 cannot read its tables: " + e.getMessage();
        }
        return unreadable;
    }

    /**
     * Copies the columns both files have; a file written by an older version may lack newer ones, which take their
     * {@link TableRules#standIn stand-in}'s values or their defaults (a row checksum: none, so the row is not checked).
     */
    private static H2TableReader.Result copy(Connection old, Connection fresh, String table, TableRules rules)
            throws SQLException, IOException {
        List<String> oldColumns = columns(old, table, "");
        List<String> columns = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (String column : columns(fresh, table, "")) {
            String source = oldColumns.contains(column) ? column : rules.standIn(table, column);
            if (source != null && oldColumns.contains(source)) {
                columns.add(column);
                selected.add(source);
            }
        }
        String insert = "INSERT INTO " + table + "(" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement p = fresh.prepareStatement(insert)) {
            int[] batched = {0};
            H2TableReader.Result result = H2TableReader.read(old, table, selected, rules.check(table, columns), values -> {
                for (int i = 0; i < values.length; i++) {
                    p.setObject(i + 1, values[i]);
                }
                p.addBatch();
                if (++batched[0] % INSERT_BATCH == 0) {
                    p.executeBatch();
                }
            });
            p.executeBatch();
            restartIdentities(fresh, table);
            return result;
        }
    }

    /** Identity columns continue after the highest recovered value, so new rows never reuse a key. */
    private static void restartIdentities(Connection fresh, String table) throws SQLException {
        try (Statement s = fresh.createStatement()) {
            for (String column : columns(fresh, table, " AND IS_IDENTITY = 'YES'")) {
                long max;
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
                    rs.next();
                    max = rs.getLong(1);
                }
                s.execute("ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + (max + 1));
            }
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM "
                + "INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The table's columns in order, those matching {@code condition} (SQL starting with AND) if given. */
    private static List<String> columns(Connection connection, String table, String condition) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?" + condition + " ORDER BY ORDINAL_POSITION")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static void log(Path file, Target target, Salvage s, String unreadable) {
        StringBuilder perTable = new StringBuilder();
        s.tables().forEach((table, r) -> perTable.append(perTable.isEmpty() ? "" : ", ")
                .append(table.toLowerCase(Locale.ROOT)).append(' ').append(r.read()).append('/')
                .append(r.expected() < 0 ? "?" : r.expected())
                .append(r.failedCheck() == 0 ? "" : " (" + r.failedCheck() + " readable but failing their checksum)"));
        String expected = s.expected() < 0 ? "an unknown number of" : Long.toString(s.expected());
        LOG.warn("The database file {} is damaged: {}. Moved it to {}, where it stays unchanged, and copied what could "
                + "be read into a fresh file: {} of {} {} recovered, {} lost{}{}{}.", file, s.problem(),
                s.quarantined(), s.recovered(), expected, target.rowsAre(), s.lost(),
                perTable.isEmpty() ? "" : " (rows recovered/expected per table: " + perTable + ")",
                s.versionsCutOff() == 0 ? "" : target.knownExpected() >= 0
                        ? "; the file opens at its newest complete version, and the " + s.versionsCutOff()
                        + " versions committed after it (about one checkpoint each) went with the cut-off part; the "
                        + "expected count is the one the owner recorded beside the file at its last checkpoint"
                        : "; these counts are those of the newest complete version, and the " + s.versionsCutOff()
                        + " versions committed after it (about one checkpoint each) are lost with the cut-off part "
                        + "of the file, in numbers that cannot be known",
                unreadable == null ? "" : "; " + unreadable);
    }
}
