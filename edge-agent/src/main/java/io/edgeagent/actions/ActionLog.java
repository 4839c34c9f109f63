package io.edgeagent.actions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
public final class ActionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);
    static final String DB_NAME = "actions";
    public static final int DEFAULT_KEEP_RUNS = 10_000;
    static final int PRUNE_EVERY = 100;
    private static final int MAX_TEXT = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Clock clock;
    private final int interruptedAtOpen;
    private final int keepRuns;
    private long started;

    private ActionLog(Connection connection, Clock clock, int interruptedAtOpen, int keepRuns) {
        this.connection = connection;
        this.clock = clock;
        this.interruptedAtOpen = interruptedAtOpen;
        this.keepRuns = keepRuns;
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
        try {
            java.nio.file.Files.createDirectories(directory);
            Connection connection;
            try {
                connection = connect(directory);
            } catch (SQLException e) {
                if (!isCorruption(e)) {
                    throw e;
                }
                Path file = directory.resolve(DB_NAME + ".mv.db");
                Path moved = directory.resolve(DB_NAME + ".mv.db.corrupt-" + clock.millis());
                java.nio.file.Files.move(file, moved, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LOG.error("The action log in {} is corrupt ({}); moved it to {} and started an empty one. The history "
                        + "of earlier action runs is only in the old file.", directory, e.getMessage(), moved);
                connection = connect(directory);
            }
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
            return new ActionLog(connection, clock, interrupted, keepRuns);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the action log in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path directory) throws SQLException {
        // DB_CLOSE_ON_EXIT=FALSE: the agent closes it in its own ordered shutdown. TRACE_LEVEL_FILE=4: H2's messages
        // go to SLF4J instead of a .trace.db file. The same URL pattern as the event buffer.
        String url = "jdbc:h2:file:" + directory.resolve(DB_NAME).toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4";
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement s = connection.createStatement()) {
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
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** As the buffer decides it: in use (90020), another H2 version (90048) or wrong credentials are not corruption. */
    private static boolean isCorruption(SQLException e) {
        int code = e.getErrorCode();
        return code != 90020 && code != 90048 && code != 28000;
    }

    /** Runs found running, and marked interrupted, when this log was opened. */
    public int interruptedAtOpen() {
        return interruptedAtOpen;
    }

    /** Records the start of a run; returns its id. */
    public synchronized long start(String rule, String key, Map<String, Object> fields, long retryOf) {
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO action_run(rule, run_key, fields, status, "
                + "started, retry_of) VALUES (?, ?, ?, 'running', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, rule);
            p.setString(2, key);
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
                prune(id - keepRuns);
            }
            if (retryOf > 0) {
                try (PreparedStatement u = connection.prepareStatement("UPDATE action_run SET retried_by = ? WHERE id = ?")) {
                    u.setLong(1, id);
                    u.setLong(2, retryOf);
                    u.executeUpdate();
                }
            }
            return id;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot record an action run: " + e.getMessage(), e);
        }
    }

    /** Deletes the runs (and their steps) with an id up to {@code lastId}. */
    private void prune(long lastId) throws SQLException {
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
            LOG.warn("Cannot record step {} of action run {}: {}", step.path(), runId, e.getMessage());
        }
    }

    public synchronized void finish(long runId, String status, String error) {
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE action_run SET status = ?, ended = ?, error = ? WHERE id = ?")) {
            p.setString(1, status);
            p.setLong(2, clock.millis());
            p.setString(3, clip(error));
            p.setLong(4, runId);
            p.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Cannot record the end of action run {} ({}): {}", runId, status, e.getMessage());
        }
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
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM action_step WHERE run_id = ? ORDER BY seq")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    steps.add(new ActionRun.Step(rs.getString("path"), rs.getString("type"), rs.getInt("attempts"),
                            rs.getString("outcome"), rs.getString("error"), rs.getString("output"),
                            rs.getLong("started"), rs.getLong("ended")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the action log: " + e.getMessage(), e);
        }
        return Optional.of(new ActionRun(r.id(), r.rule(), r.key(), r.fields(), r.status(), r.started(), r.ended(),
                r.error(), r.retryOf(), r.retriedBy(), steps));
    }

    private List<ActionRun> select(String sql, long arg) {
        List<ActionRun> runs = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement(sql)) {
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
            throw new IllegalStateException("cannot read the action log: " + e.getMessage(), e);
        }
        return runs;
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the action log failed: {}", e.getMessage());
        }
    }
}
