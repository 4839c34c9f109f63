package io.edgeagent.actions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records the action log's writer took off its queue in one go, merged into as few writes as they allow: a run
 * whose start is in the batch is one INSERT with its latest status (its end too, when that is in the batch), its
 * steps are INSERTs, and only the end of a run started in an earlier batch is an UPDATE. Everything goes out as JDBC
 * batches on one connection; the caller owns the transaction.
 *
 * <p>A step or end whose run has no row (its start could not be recorded, see {@link ActionLog#UNRECORDED}) is not
 * written but counted as an {@link #orphans orphan}, so that no step is left without its run.
 */
final class RunBatch {

    private static final int MAX_TEXT = 8192;
    /** The run_key column's size: a key is a field value, and an oversized one must not lose the run's record. */
    private static final int MAX_KEY = 1000;

    /** A run started in this batch, and its end when that is in the batch too. */
    private static final class NewRun {
        final LogEntry.Start start;
        LogEntry.Finish finish;

        NewRun(LogEntry.Start start) {
            this.start = start;
        }
    }

    private final Map<Long, NewRun> started = new LinkedHashMap<>();
    private final List<LogEntry.Step> steps = new ArrayList<>();
    /** Ends of runs recorded as running by an earlier batch. */
    private final List<LogEntry.Finish> ended = new ArrayList<>();
    private final List<LogEntry.Record> records = new ArrayList<>();
    private int orphans;

    /**
     * @param recorded the runs an earlier batch recorded as running and no batch has ended yet; read, not changed
     *                 (see {@link #applyTo})
     */
    RunBatch(List<? extends LogEntry> entries, Set<Long> recorded) {
        for (LogEntry entry : entries) {
            if (entry instanceof LogEntry.Record r) {
                records.add(r);
            }
            if (entry instanceof LogEntry.Start s) {
                started.put(s.runId(), new NewRun(s));
            } else if (entry instanceof LogEntry.Step s) {
                if (started.containsKey(s.runId()) || recorded.contains(s.runId())) {
                    steps.add(s);
                } else {
                    orphans++;
                }
            } else if (entry instanceof LogEntry.Finish f) {
                NewRun run = started.get(f.runId());
                if (run != null) {
                    run.finish = f;
                } else if (recorded.contains(f.runId())) {
                    ended.add(f);
                } else {
                    orphans++;
                }
            }
        }
    }

    /** The records (starts, steps, ends) in this batch: what is counted as unrecorded when it cannot be written. */
    List<LogEntry.Record> records() {
        return records;
    }

    /** Steps and ends whose run has no row; valid after {@link #write}. */
    int orphans() {
        return orphans;
    }

    /** The newest run this batch starts, or 0. */
    long newestRun() {
        long newest = 0;
        for (long id : started.keySet()) {
            newest = Math.max(newest, id);
        }
        return newest;
    }

    /** Writes the batch on {@code connection} without committing. */
    void write(Connection connection) throws SQLException {
        if (!started.isEmpty()) {
            insertRuns(connection);
        }
        if (!steps.isEmpty()) {
            insertSteps(connection);
        }
        if (!ended.isEmpty()) {
            updateEnds(connection);
        }
    }

    private void insertRuns(Connection connection) throws SQLException {
        boolean retries = false;
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO action_run(id, rule, run_key, fields, "
                + "status, started, ended, error, retry_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (NewRun run : started.values()) {
                LogEntry.Start s = run.start;
                p.setLong(1, s.runId());
                p.setString(2, s.rule());
                p.setString(3, clip(s.key(), MAX_KEY));
                p.setString(4, s.fields());
                p.setString(5, run.finish == null ? ActionRun.RUNNING : run.finish.status());
                p.setLong(6, s.started());
                p.setLong(7, run.finish == null ? 0 : run.finish.ended());
                p.setString(8, run.finish == null ? null : clip(run.finish.error(), MAX_TEXT));
                p.setLong(9, s.retryOf());
                p.addBatch();
                retries |= s.retryOf() > 0;
            }
            p.executeBatch();
        }
        if (retries) {
            try (PreparedStatement u = connection.prepareStatement("UPDATE action_run SET retried_by = ? WHERE id = ?")) {
                for (NewRun run : started.values()) {
                    if (run.start.retryOf() > 0) {
                        u.setLong(1, run.start.runId());
                        u.setLong(2, run.start.retryOf());
                        u.addBatch();
                    }
                }
                u.executeBatch();
            }
        }
    }

    private void insertSteps(Connection connection) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO action_step(run_id, seq, path, type, "
                + "attempts, outcome, error, output, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LogEntry.Step s : steps) {
                ActionRun.Step step = s.step();
                p.setLong(1, s.runId());
                p.setInt(2, s.seq());
                p.setString(3, step.path());
                p.setString(4, step.type());
                p.setInt(5, step.attempts());
                p.setString(6, step.outcome());
                p.setString(7, clip(step.error(), MAX_TEXT));
                p.setString(8, clip(step.output(), MAX_TEXT));
                p.setLong(9, step.started());
                p.setLong(10, step.ended());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private void updateEnds(Connection connection) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE action_run SET status = ?, ended = ?, error = ? WHERE id = ?")) {
            for (LogEntry.Finish f : ended) {
                p.setString(1, f.status());
                p.setLong(2, f.ended());
                p.setString(3, clip(f.error(), MAX_TEXT));
                p.setLong(4, f.runId());
                p.addBatch();
            }
            for (int updated : p.executeBatch()) {
                // No row: it was lost with the storage (a fault after its start was written, before H2 wrote it).
                if (updated == 0) {
                    orphans++;
                }
            }
        }
    }

    /** After the commit: the runs this batch left running are recorded, the ones it ended are no longer running. */
    void applyTo(Set<Long> recorded) {
        for (NewRun run : started.values()) {
            if (run.finish == null) {
                recorded.add(run.start.runId());
            }
        }
        for (LogEntry.Finish f : ended) {
            recorded.remove(f.runId());
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
