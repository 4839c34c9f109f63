package io.edgeagent.storage;

import io.edgeagent.bootstrap.JvmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the agent's embedded H2 file databases (the event buffer, the action log) the same way: settings for an
 * ordered shutdown and SLF4J logging, the schema created on connect, and a file that cannot be read as a database
 * moved aside so the agent starts with a fresh one instead of not starting at all.
 */
public final class H2Files {

    /** H2 error codes that mean "the file is fine, but not for us now": never a reason to move it aside. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int FILE_VERSION_ERROR = 90048;
    private static final int WRONG_USER_OR_PASSWORD = 28000;

    /** H2's own file system, the one every real store uses. */
    public static final String DISK = "file";

    /** Creates or upgrades the tables on a new connection. */
    @FunctionalInterface
    public interface Schema {
        void create(Statement statement) throws SQLException;
    }

    /**
     * An open database. {@code quarantined} is where an unreadable file was moved (null when none was), with the
     * error that made it unreadable, for the caller to log together with what was lost.
     */
    public record Opened(Connection connection, Path quarantined, String error) {
    }

    /**
     * H2's page cache per database, KB. H2's default is 16 MB per database, a quarter of the package's 64 MB heap for
     * the buffer alone. The agent writes the outbox once and reads it once (upload), so the cache mostly holds pages
     * that are never read again; under load they churn through the old generation and every few seconds cost a full
     * collection of 100-500 ms. Measured end to end (1 rule, 150,000 messages, -Xmx64m): collector pauses 2.8 s with
     * the default, 0.8-1.0 s with 2 MB (docs/performance.md).
     */
    static final int CACHE_KB = 2048;

    static {
        JvmSettings.h2ObjectCacheOff();
    }

    private H2Files() {
    }

    /** Opens (creating) {@code <directory>/<name>.mv.db}; the connection is in H2's default auto-commit mode. */
    public static Opened open(Path directory, String name, Schema schema, long nowMillis) throws SQLException, IOException {
        return open(DISK, directory, name, schema, nowMillis);
    }

    /**
     * As {@link #open(Path, String, Schema, long)}, through H2's file system {@code scheme}: {@link #DISK}, or a
     * {@code FilePath} a test registered to inject I/O faults.
     */
    public static Opened open(String scheme, Path directory, String name, Schema schema, long nowMillis)
            throws SQLException, IOException {
        Files.createDirectories(directory);
        try {
            return new Opened(connect(scheme, directory, name, schema), null, null);
        } catch (SQLException e) {
            if (!isCorruption(e)) {
                throw e;
            }
            Path moved = directory.resolve(name + ".mv.db.corrupt-" + nowMillis);
            Files.move(directory.resolve(name + ".mv.db"), moved, StandardCopyOption.ATOMIC_MOVE);
            return new Opened(connect(scheme, directory, name, schema), moved, e.getMessage());
        }
    }

    /**
     * A read-only connection to any H2 file, whatever its name (a quarantined {@code buffer.mv.db.corrupt-<millis>}):
     * H2 wants {@code <name>.mv.db} and resolves symbolic links, so it opens a hard link with that name in a private
     * directory beside the file (or, where that is impossible, a copy in the temporary directory). Read-only, H2
     * never writes the file, so it neither compacts away nor "repairs" what a damaged file still holds.
     */
    public static ReadOnly openReadOnly(Path file) throws SQLException, IOException {
        Path absolute = file.toAbsolutePath();
        Path linkDirectory;
        try {
            linkDirectory = Files.createTempDirectory(absolute.getParent(), ".h2-read-");
            try {
                Files.createLink(linkDirectory.resolve("db.mv.db"), absolute);
            } catch (IOException | UnsupportedOperationException e) {
                ReadOnly.delete(linkDirectory);
                throw new IOException(e);
            }
        } catch (IOException e) {
            linkDirectory = Files.createTempDirectory("edge-agent-h2-");
            Files.copy(absolute, linkDirectory.resolve("db.mv.db"));
        }
        try {
            // TRACE_LEVEL_FILE=0: every unreadable page is expected here and counted by the reader; H2 would log
            // each as an error with a stack trace.
            String url = "jdbc:h2:file:" + linkDirectory.resolve("db") + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE"
                    + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0;CACHE_SIZE=" + CACHE_KB;
            return new ReadOnly(DriverManager.getConnection(url, "sa", ""), linkDirectory);
        } catch (SQLException | RuntimeException e) {
            ReadOnly.delete(linkDirectory);
            throw e;
        }
    }

    /** A read-only connection and the temporary link directory it needs; closing removes both. */
    public record ReadOnly(Connection connection, Path linkDirectory) implements AutoCloseable {

        @Override
        public void close() throws SQLException {
            try {
                connection.close();
            } finally {
                delete(linkDirectory);
            }
        }

        private static void delete(Path linkDirectory) {
            try (java.util.stream.Stream<Path> files = Files.list(linkDirectory)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(linkDirectory);
            } catch (IOException e) {
                // A temporary directory with a dangling link; the OS cleans its temporary files.
            }
        }
    }

    static Connection connect(String scheme, Path directory, String name, Schema schema) throws SQLException {
        // DB_CLOSE_ON_EXIT=FALSE: the agent closes its databases last, in its own ordered shutdown, not in H2's hook.
        // TRACE_LEVEL_FILE=0: no .trace.db file, and H2 does not log each failed statement with its stack trace
        // (hundreds of lines per failure on a full disk); the agent reports every error it gets, once per episode.
        // CACHE_SIZE: see CACHE_KB. MAX_COMPACT_TIME=0: no compaction at close; cut short by its time budget it left
        // the newest chunks mid-file, and a file that then lost its tail had no complete version (architecture.md).
        String url = "jdbc:h2:" + scheme + ":" + directory.resolve(name).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0"
                + ";CACHE_SIZE=" + CACHE_KB + ";MAX_COMPACT_TIME=0";
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement s = connection.createStatement()) {
            schema.create(s);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Whether an open failure means the file cannot be read as a database (corrupt, truncated, not H2 at all). A file
     * held by another process or written by another H2 version is intact and must not be moved aside.
     */
    private static boolean isCorruption(SQLException e) {
        int code = e.getErrorCode();
        return code != DATABASE_ALREADY_OPEN && code != FILE_VERSION_ERROR && code != WRONG_USER_OR_PASSWORD;
    }
}
