package io.edgeagent.actions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.ReopeningStore;
import io.edgeagent.storage.StorageHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every action run and step result, in an H2 file of its own ({@code actions.mv.db} in the data directory), so the
 * action history never competes with the event buffer for its lock or its size bound. Failed runs are the dead-letter
 * record: listed by {@link #failed}, retried through the dispatcher.
 *
 * <p>On open, runs still marked running were cut off by a crash or a kill: they are marked interrupted and are
 * <em>not</em> resumed, because a half-done workflow may already have switched an actuator, and repeating a command
 * blindly after a restart can be unsafe; a person decides with {@code edge-agent actions retry ID}.
 *
 * <p>Every write is committed at once (runs are rare compared to events). Header values of {@code http} steps are
 * never stored. The log keeps the newest {@link #DEFAULT_KEEP_RUNS} runs (older ones and their steps are deleted every
 * {@link #PRUNE_EVERY} runs), so it stays small on an SD card. Thread-safe (synchronized); calls block on the file for
 * milliseconds.
 *
 * <p>Storage faults heal: a failed write (a full disk) makes H2 close its store, so on any storage fault the
 * connection is closed and reopened in the background with backoff ({@link ReopeningStore}). Meanwhile actions still
 * run: a run that cannot be recorded gets the id {@link #UNRECORDED}, its steps are not recorded, and it is counted
 * ({@link #unrecorded}); one log line per episode. What H2 had not yet written when the store failed (under a second
 * of history) is lost.
 */
public final class ActionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);
    static final String DB_NAME = "actions";
    public static final int DEFAULT_KEEP_RUNS = 10_000;
    static final int PRUNE_EVERY = 100;
    private static final int MAX_TEXT = 8192;
    /** The run_key column's size: a key is a field value, and an oversized one must not lose the run's record. */
    private static final int MAX_KEY = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The id of a run that could not be recorded (the log's storage is being reopened); its steps are not recorded. */
    public static final long UNRECORDED = 0;
    static final Duration REOPEN_MIN = Duration.ofMillis(100);
    static final Duration REOPEN_MAX = Duration.ofSeconds(5);

    private static final H2Salvage.Target SALVAGE_TARGET = new H2Salvage.Target(DB_NAME, ActionLog::createSchema,
            "action_run", "action runs", null);

    private final ReopeningStore<Connection> store;
    /** The message of a fault that was a damaged page, until the reopen has salvaged the file. */
    private volatile String damage;
    private final Clock clock;
    private final int interruptedAtOpen;
    private final int keepRuns;
    private final AtomicLong unrecorded = new AtomicLong();
    private long started;

    private ActionLog(Path directory, String scheme, Connection connection, Clock clock, int interruptedAtOpen,
                      int keepRuns) {
        this.store = new ReopeningStore<>("action log", this, connection, () -> reopen(directory, scheme),
                REOPEN_MIN, REOPEN_MAX);
        this.clock = clock;
        this.interruptedAtOpen = interruptedAtOpen;
        this.keepRuns = keepRuns;
    }

    /**
     * A fresh connection after a fault, proven to take writes (see {@link ReopeningStore}). A fault that was a damaged
     * page would fail the same way on the same file: quarantine it and salvage its readable runs first.
     */
    private Connection reopen(Path directory, String scheme) throws SQLException, IOException {
        String damaged = damage;
        if (damaged != null) {
            H2Salvage.quarantineAndSalvage(directory, SALVAGE_TARGET, "a read failed on a damaged page (" + damaged
                    + ")", clock.millis());
            damage = null;
        }
        Connection connection = H2Files.open(scheme, directory, DB_NAME, ActionLog::createSchema, clock.millis())
                .connection();
        try (PreparedStatement p = connection.prepareStatement(
                "MERGE INTO log_meta(name, amount) KEY(name) VALUES ('reopened', ?)");
             Statement s = connection.createStatement()) {
            p.setLong(1, clock.millis());
            p.executeUpdate();
            s.execute("CHECKPOINT");
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    public static ActionLog open(Path directory) {
        return open(directory, Clock.systemUTC(), DEFAULT_KEEP_RUNS);
    }

    /**
     * Opens or creates the log. A file that cannot be read as a database is moved aside ({@code
     * actions.mv.db.corrupt-<millis>}) and a fresh log started, with an error in the log: losing the history is
     * better than an agent that cannot start. A file in use or of another H2 version is never moved.
     *
     * @param keepRuns how many of the newest runs to keep
     */
    public static ActionLog open(Path directory, Clock clock, int keepRuns) {
        return open(directory, clock, keepRuns, H2Files.DISK);
    }

    /** As {@link #open(Path, Clock, int)}, through H2's file system {@code scheme} (tests inject faults). */
    static ActionLog open(Path directory, Clock clock, int keepRuns, String scheme) {
        try {
            H2Salvage.checkAtOpen(directory, SALVAGE_TARGET, clock.millis());
            H2Files.Opened opened = H2Files.open(scheme, directory, DB_NAME, ActionLog::createSchema, clock.millis());
            if (opened.quarantined() != null) {
                LOG.error("The action log in {} is corrupt ({}); moved it to {} and started an empty one. The history "
                        + "of earlier action runs is only in the old file.", directory, opened.error(), opened.quarantined());
            }
            Connection connection = opened.connection();
            int interrupted;
            try (Statement s = connection.createStatement()) {
                interrupted = s.executeUpdate("UPDATE action_run SET status = 'interrupted', ended = "
                        + clock.millis() + ", error = 'the agent stopped while the run was in progress; not resumed "
                        + "automatically (repeating actuator commands can be unsafe): retry it by hand if needed' "
                        + "WHERE status = 'running'");
            }
            if (interrupted > 0) {
                LOG.warn("{} action runs were in progress when the agent last stopped; they are marked interrupted and "
                        + "not resumed. List them with 'edge-agent actions failed' and retry by hand.", interrupted);
            }
            return new ActionLog(directory, scheme, connection, clock, interrupted, keepRuns);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the action log in " + directory + ": " + e.getMessage(), e);
        }
    }

    static void createSchema(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS action_run ("
                + "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, rule VARCHAR(200) NOT NULL, "
                + "run_key VARCHAR(1000) NOT NULL, fields VARCHAR(100000) NOT NULL, status VARCHAR(16) NOT NULL, "
                + "started BIGINT NOT NULL, ended BIGINT NOT NULL DEFAULT 0, error VARCHAR(8192), "
                + "retry_of BIGINT NOT NULL DEFAULT 0, retried_by BIGINT NOT NULL DEFAULT 0)");
        s.execute("CREATE TABLE IF NOT EXISTS action_step (run_id BIGINT NOT NULL, seq INT NOT NULL, "
                + "path VARCHAR(200) NOT NULL, type VARCHAR(16) NOT NULL, attempts INT NOT NULL, "
                + "outcome VARCHAR(16) NOT NULL, error VARCHAR(8192), output VARCHAR(8192), "
                + "started BIGINT NOT NULL, ended BIGINT NOT NULL, PRIMARY KEY (run_id, seq))");
        s.execute("CREATE INDEX IF NOT EXISTS action_run_status ON action_run(status, id)");
        s.execute("CREATE TABLE IF NOT EXISTS log_meta (name VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)");
    }

    /** Runs found running, and marked interrupted, when this log was opened. */
    public int interruptedAtOpen() {
        return interruptedAtOpen;
    }

    /** Records the start of a run; returns its id, or {@link #UNRECORDED} while the storage is being reopened. */
    public synchronized long start(String rule, String key, Map<String, Object> fields, long retryOf) {
        Connection connection = store.session();
        if (connection == null) {
            unrecorded.incrementAndGet();
            return UNRECORDED;
        }
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO action_run(rule, run_key, fields, status, "
                + "started, retry_of) VALUES (?, ?, ?, 'running', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, rule);
            p.setString(2, clip(key, MAX_KEY));
            p.setString(3, JSON.writeValueAsString(fields));
            p.setLong(4, clock.millis());
            p.setLong(5, retryOf);
            p.executeUpdate();
            long id;
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                id = rs.getLong(1);
            }
            if (++started % PRUNE_EVERY == 0) {
                prune(connection, id - keepRuns);
            }
            if (retryOf > 0) {
                try (PreparedStatement u = connection.prepareStatement("UPDATE action_run SET retried_by = ? WHERE id = ?")) {
                    u.setLong(1, id);
                    u.setLong(2, retryOf);
                    u.executeUpdate();
                }
            }
            return id;
        } catch (SQLException e) {
            if (!writeFault(e)) {
                throw new IllegalStateException("cannot record an action run: " + e.getMessage(), e);
            }
            return UNRECORDED;
        } catch (IOException e) {
            throw new IllegalStateException("cannot record an action run: " + e.getMessage(), e);
        }
    }

    /** Deletes the runs (and their steps) with an id up to {@code lastId}. */
    private void prune(Connection connection, long lastId) throws SQLException {
        if (lastId <= 0) {
            return;
        }
        try (PreparedStatement steps = connection.prepareStatement("DELETE FROM action_step WHERE run_id <= ?");
             PreparedStatement runs = connection.prepareStatement("DELETE FROM action_run WHERE id <= ?")) {
            steps.setLong(1, lastId);
            runs.setLong(1, lastId);
            steps.executeUpdate();
            int deleted = runs.executeUpdate();
            if (deleted > 0) {
                LOG.debug("Deleted {} action runs older than the newest {} from the action log.", deleted, keepRuns);
            }
        }
    }

    public synchronized void step(long runId, int seq, ActionRun.Step step) {
        Connection connection = writable(runId);
        if (connection == null) {
            return;
        }
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO action_step(run_id, seq, path, type, attempts, "
                + "outcome, error, output, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, runId);
            p.setInt(2, seq);
            p.setString(3, step.path());
            p.setString(4, step.type());
            p.setInt(5, step.attempts());
            p.setString(6, step.outcome());
            p.setString(7, clip(step.error()));
            p.setString(8, clip(step.output()));
            p.setLong(9, step.started());
            p.setLong(10, step.ended());
            p.executeUpdate();
        } catch (SQLException e) {
            if (!writeFault(e)) {
                LOG.warn("Cannot record step {} of action run {}: {}", step.path(), runId, e.getMessage());
            }
        }
    }

    public synchronized void finish(long runId, String status, String error) {
        Connection connection = writable(runId);
        if (connection == null) {
            return;
        }
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE action_run SET status = ?, ended = ?, error = ? WHERE id = ?")) {
            p.setString(1, status);
            p.setLong(2, clock.millis());
            p.setString(3, clip(error));
            p.setLong(4, runId);
            p.executeUpdate();
        } catch (SQLException e) {
            if (!writeFault(e)) {
                LOG.warn("Cannot record the end of action run {} ({}): {}", runId, status, e.getMessage());
            }
        }
    }

    /** The connection to record a run's progress on, or null when the run or the storage cannot be recorded now. */
    private Connection writable(long runId) {
        Connection connection = runId == UNRECORDED ? null : store.session();
        if (connection == null) {
            unrecorded.incrementAndGet();
        }
        return connection;
    }

    /** As {@link #storageFault}, for a write: a storage fault also counts the write as unrecorded. */
    private boolean writeFault(SQLException e) {
        if (storageFault(e)) {
            unrecorded.incrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Whether {@code e} is a storage fault, which is reported (and logged once) for the store to reopen; a damaged
     * page is remembered so that the reopen salvages the file instead of failing on the same page again.
     */
    private boolean storageFault(SQLException e) {
        if (ReopeningStore.isStorageFault(e)) {
            if (H2Salvage.isDamage(e)) {
                damage = e.getMessage();
            }
            store.fault(e);
            return true;
        }
        return false;
    }

    /** Run starts, steps and ends that could not be recorded because the storage was failed, since open. */
    public long unrecorded() {
        return unrecorded.get();
    }

    /** Whether the log takes writes, for status; see {@link StorageHealth}. */
    public StorageHealth health() {
        return store.health();
    }

    /** The connection for a read; fails while the storage is being reopened. */
    private Connection readable() {
        Connection connection = store.session();
        if (connection == null) {
            throw new IllegalStateException("the action log's storage failed and is being reopened ("
                    + store.health().reason() + ")");
        }
        return connection;
    }

    /** The newest runs first, without their steps. */
    public synchronized List<ActionRun> runs(int limit) {
        return select("SELECT * FROM action_run ORDER BY id DESC LIMIT ?", limit);
    }

    /** The dead-letter record: failed and interrupted runs, newest first, without their steps. */
    public synchronized List<ActionRun> failed(int limit) {
        return select("SELECT * FROM action_run WHERE status IN ('failed', 'interrupted') ORDER BY id DESC LIMIT ?", limit);
    }

    /** One run with its steps. */
    public synchronized Optional<ActionRun> run(long id) {
        List<ActionRun> found = select("SELECT * FROM action_run WHERE id = ?", id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ActionRun r = found.get(0);
        List<ActionRun.Step> steps = new ArrayList<>();
        try (PreparedStatement p = readable().prepareStatement("SELECT * FROM action_step WHERE run_id = ? ORDER BY seq")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    steps.add(new ActionRun.Step(rs.getString("path"), rs.getString("type"), rs.getInt("attempts"),
                            rs.getString("outcome"), rs.getString("error"), rs.getString("output"),
                            rs.getLong("started"), rs.getLong("ended")));
                }
            }
        } catch (SQLException e) {
            storageFault(e);
            throw new IllegalStateException("cannot read the action log: " + e.getMessage(), e);
        }
        return Optional.of(new ActionRun(r.id(), r.rule(), r.key(), r.fields(), r.status(), r.started(), r.ended(),
                r.error(), r.retryOf(), r.retriedBy(), steps));
    }

    private List<ActionRun> select(String sql, long arg) {
        List<ActionRun> runs = new ArrayList<>();
        try (PreparedStatement p = readable().prepareStatement(sql)) {
            p.setLong(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> fields;
                    try {
                        fields = JSON.readValue(rs.getString("fields"), new TypeReference<LinkedHashMap<String, Object>>() { });
                    } catch (IOException e) {
                        fields = Map.of();
                    }
                    runs.add(new ActionRun(rs.getLong("id"), rs.getString("rule"), rs.getString("run_key"), fields,
                            rs.getString("status"), rs.getLong("started"), rs.getLong("ended"), rs.getString("error"),
                            rs.getLong("retry_of"), rs.getLong("retried_by"), List.of()));
                }
            }
        } catch (SQLException e) {
            storageFault(e);
            throw new IllegalStateException("cannot read the action log: " + e.getMessage(), e);
        }
        return runs;
    }

    private static String clip(String text) {
        return clip(text, MAX_TEXT);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
