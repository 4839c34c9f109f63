package io.edgeagent.actions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.logtext.PowersOfTen;
import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.ReopeningStore;
import io.edgeagent.storage.StorageHealth;
import io.edgeagent.threads.NamedThreads;
import io.edgeagent.wire.JsonText;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Group commit: {@link #start}, {@link #step} and {@link #finish} queue the record (a bounded queue of
 * {@link #QUEUE_CAPACITY}) and return; one thread ({@value #WRITER_THREAD}) takes everything queued and writes it in
 * one transaction, so a run whose start, steps and end meet in one batch is one row insert with its final status
 * (plus its step rows), and a burst of runs costs one commit, not three per run. Run ids are handed out in memory,
 * counting on from the highest id in the file at open (runs and steps), so they stay unique across restarts and
 * salvages. A caller waits only when the queue is full (up to {@link #FULL_WAIT}; then the record is counted as
 * unrecorded and logged, never dropped silently). A retry's start waits until it is written, so a retry of a run on
 * a damaged page fails at once. Reads ({@link #runs}, {@link #failed}, {@link #run}) first wait until everything
 * queued before them is written, so they see every record made before the call.
 *
 * <p>Durability: a record is committed to H2 with its batch, at most {@link #LINGER} after it was queued while the
 * writer keeps up (the writer's lag shows in docs/performance.md), and in the file at most {@link #WRITE_DELAY_MS} ms
 * after that commit, when H2 writes its committed changes. So a kill or crash loses at most the last
 * {@code LINGER + WRITE_DELAY_MS} = 300 ms of records; a run it cuts off whose start is in the file comes back
 * interrupted. Before group commit every record was committed by its caller and reached the file within H2's default
 * write delay of 500 ms: the window is shorter now, as long as the writer is less than 200 ms behind.
 *
 * <p>Header values of {@code http} steps are never stored. The log keeps the newest {@link #DEFAULT_KEEP_RUNS} runs
 * (older ones and their steps are deleted by the writer every {@link #PRUNE_EVERY} runs), so it stays small on an SD
 * card. Thread-safe.
 *
 * <p>Storage faults heal: a failed write (a full disk) makes H2 close its store, so on any storage fault the
 * connection is closed and reopened in the background with backoff ({@link ReopeningStore}). Meanwhile actions still
 * run: a run that cannot be recorded gets the id {@link #UNRECORDED}, its steps are not recorded, and it is counted
 * ({@link #unrecorded}); one log line per episode. The batch that met the fault, and what H2 had not yet written when
 * the store failed (under a second of history), are lost, and counted as far as they are known: the batch's records,
 * and later steps and ends of runs whose row is gone. A record H2 refuses for its content (not a storage fault) costs
 * only itself: the batch is written again record by record, and that one is logged and counted.
 */
public final class ActionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);
    static final String DB_NAME = "actions";
    public static final int DEFAULT_KEEP_RUNS = 10_000;
    static final int PRUNE_EVERY = 100;
    static final String WRITER_THREAD = "edge-action-log-writer";
    /** Records (starts, steps, ends) waiting for the writer: at 1,000 runs/s of one step, over a second of them. */
    static final int QUEUE_CAPACITY = 4096;
    /** The most records one transaction takes, so one commit stays short however far the writer fell behind. */
    static final int MAX_BATCH = 2048;
    /** How long a caller waits for room in a full queue before it counts its record as unrecorded. */
    static final Duration FULL_WAIT = Duration.ofSeconds(5);
    /** How long a read or a retry's start waits for the writer (a salvage after damage can take seconds). */
    static final Duration WRITER_WAIT = Duration.ofSeconds(30);
    /** How long the writer gathers records after the first before it writes them; see {@link #writeLoop}. */
    static final Duration LINGER = Duration.ofMillis(50);
    /** H2's WRITE_DELAY for this file: committed changes reach the file at most this long after their commit. */
    static final int WRITE_DELAY_MS = 250;
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
    private final AtomicLong lastId;
    private final BlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong fullQueue = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    /** Writer state: runs written as running and not ended since; see {@link RunBatch}. */
    private final Set<Long> recorded = new HashSet<>();
    /** Writer state: the newest run when the writer last pruned, counted in {@link #PRUNE_EVERY}s. */
    private long prunedAt;
    /** Transactions committed by the writer: how tests see that records are grouped. */
    private final AtomicLong commits = new AtomicLong();

    private ActionLog(Path directory, String scheme, Connection connection, Clock clock, int interruptedAtOpen,
                      int keepRuns, long lastId) {
        this.store = new ReopeningStore<>("action log", this, connection, () -> reopen(directory, scheme),
                REOPEN_MIN, REOPEN_MAX);
        this.clock = clock;
        this.interruptedAtOpen = interruptedAtOpen;
        this.keepRuns = keepRuns;
        this.lastId = new AtomicLong(lastId);
        this.prunedAt = lastId / PRUNE_EVERY;
        this.writer = NamedThreads.single(WRITER_THREAD, this::writeLoop);
        writer.start();
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
            s.execute("SET WRITE_DELAY " + WRITE_DELAY_MS);
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
            long lastId;
            try (Statement s = connection.createStatement()) {
                s.execute("SET WRITE_DELAY " + WRITE_DELAY_MS);
                interrupted = s.executeUpdate("UPDATE action_run SET status = 'interrupted', ended = "
                        + clock.millis() + ", error = 'the agent stopped while the run was in progress; not resumed "
                        + "automatically (repeating actuator commands can be unsafe): retry it by hand if needed' "
                        + "WHERE status = 'running'");
                // Steps too: a step whose run row was lost must not be taken over by a new run of the same id.
                try (ResultSet rs = s.executeQuery("SELECT GREATEST(COALESCE((SELECT MAX(id) FROM action_run), 0), "
                        + "COALESCE((SELECT MAX(run_id) FROM action_step), 0))")) {
                    rs.next();
                    lastId = rs.getLong(1);
                }
            }
            if (interrupted > 0) {
                LOG.warn("{} action runs were in progress when the agent last stopped; they are marked interrupted and "
                        + "not resumed. List them with 'edge-agent actions failed' and retry by hand.", interrupted);
            }
            return new ActionLog(directory, scheme, connection, clock, interrupted, keepRuns, lastId);
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

    /**
     * Records the start of a run; returns its id, or {@link #UNRECORDED} while the storage is being reopened. Returns
     * at once, except for a retry ({@code retryOf > 0}), which returns when its start is written: UNRECORDED if it
     * could not be.
     */
    public long start(String rule, String key, Map<String, Object> fields, long retryOf) {
        if (closed || !store.health().healthy()) {
            unrecorded.incrementAndGet();
            return UNRECORDED;
        }
        long id = lastId.incrementAndGet();
        CompletableFuture<Boolean> written = retryOf > 0 ? new CompletableFuture<>() : null;
        if (!queue(new LogEntry.Start(id, rule, key, JsonText.object(fields), clock.millis(), retryOf, written))
                || written == null) {
            return id;
        }
        try {
            return written.get(WRITER_WAIT.toMillis(), TimeUnit.MILLISECONDS) ? id : UNRECORDED;
        } catch (TimeoutException e) {
            // Still queued: it is written or counted later; the run goes ahead as one that is being recorded.
            LOG.warn("The start of action run {} (a retry of run {}) was not written within {} s; running it anyway.",
                    id, retryOf, WRITER_WAIT.toSeconds());
            return id;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return id;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot record an action run: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public void step(long runId, int seq, ActionRun.Step step) {
        if (runId == UNRECORDED || closed) {
            unrecorded.incrementAndGet();
            return;
        }
        queue(new LogEntry.Step(runId, seq, step));
    }

    public void finish(long runId, String status, String error) {
        if (runId == UNRECORDED || closed) {
            unrecorded.incrementAndGet();
            return;
        }
        queue(new LogEntry.Finish(runId, status, error, clock.millis()));
    }

    /** Queues a record for the writer; false when it was counted as unrecorded instead (the queue stayed full). */
    private boolean queue(LogEntry.Record entry) {
        try {
            if (queue.offer(entry) || queue.offer(entry, FULL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unrecorded.incrementAndGet();
        long count = fullQueue.incrementAndGet();
        if (PowersOfTen.isPowerOfTen(count)) {
            LOG.warn("The action log's writer is {} records behind and did not catch up within {} s; {} was not "
                    + "recorded ({} so far; logged at the 1st, 10th, 100th, ...).", QUEUE_CAPACITY,
                    FULL_WAIT.toSeconds(), entry.describe(), count);
        }
        return false;
    }

    /**
     * The writer thread: takes what is queued, and what comes within {@link #LINGER} of the first record, and writes
     * it in one transaction. The wait lets most runs' start, steps and end meet in one batch (an MQTT step takes a
     * few milliseconds), so a run is one row written once; a read, a retry's start or close cut it short.
     */
    private void writeLoop() {
        List<LogEntry> taken = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                taken.add(queue.take());
                gather(taken);
            } catch (InterruptedException e) {
                // Only close() ends the writer, by its Stop entry, after everything queued before it is written.
                if (taken.isEmpty()) {
                    continue;
                }
            }
            stop = taken.stream().anyMatch(LogEntry.Stop.class::isInstance);
            writeTaken(taken);
            taken.clear();
        }
    }

    /** Adds to {@code taken} what comes within {@link #LINGER} of its first entry, up to {@link #MAX_BATCH}. */
    private void gather(List<LogEntry> taken) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER.toNanos();
        int checked = 0;
        while (taken.size() < MAX_BATCH) {
            queue.drainTo(taken, MAX_BATCH - taken.size());
            for (; checked < taken.size(); checked++) {
                if (awaited(taken.get(checked))) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            LogEntry next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            taken.add(next);
        }
    }

    /** Whether someone waits for {@code entry} to be written: it goes out without lingering. */
    private static boolean awaited(LogEntry entry) {
        return entry instanceof LogEntry.Barrier || entry instanceof LogEntry.Stop
                || entry instanceof LogEntry.Start s && s.recorded() != null;
    }

    /** Writes {@code entries} (or counts them unrecorded), then lets the readers waiting on them go. */
    private synchronized void writeTaken(List<LogEntry> entries) {
        RunBatch batch = new RunBatch(entries, recorded);
        if (!batch.records().isEmpty()) {
            write(batch);
        }
        for (LogEntry entry : entries) {
            if (entry instanceof LogEntry.Barrier b) {
                b.passed().complete(null);
            }
        }
    }

    /** One transaction; on a fault the batch is counted as unrecorded, on a refused record see {@link #oneByOne}. */
    private void write(RunBatch batch) {
        Connection connection = store.session();
        boolean written = false;
        if (connection == null) {
            unrecorded.addAndGet(batch.records().size());
        } else {
            try {
                connection.setAutoCommit(false);
                batch.write(connection);
                pruneAfter(connection, batch.newestRun());
                connection.commit();
                connection.setAutoCommit(true);
                commits.incrementAndGet();
                batch.applyTo(recorded);
                unrecorded.addAndGet(batch.orphans());
                prunedAt = Math.max(prunedAt, batch.newestRun() / PRUNE_EVERY);
                written = true;
            } catch (SQLException e) {
                rollback(connection);
                SQLException cause = statementFailure(e);
                if (!writeFault(cause, batch.records().size())) {
                    oneByOne(batch, cause);
                    return;
                }
            }
        }
        completeStarts(batch, written);
    }

    /**
     * H2 refused the batch for a record's content (a value too long for its column, say): writes each record in a
     * transaction of its own, so the others are kept, and logs and counts the ones refused.
     */
    private void oneByOne(RunBatch batch, SQLException refused) {
        if (batch.records().size() == 1) {
            LOG.warn("Cannot record {}: {}", batch.records().get(0).describe(), refused.getMessage());
            unrecorded.incrementAndGet();
            completeStarts(batch, false);
            return;
        }
        for (LogEntry.Record record : batch.records()) {
            write(new RunBatch(List.of(record), recorded));
        }
    }

    /**
     * The failure of the statement itself: a JDBC batch reports it as the next exception of a
     * {@link BatchUpdateException}, which carries its message and state but not its cause, where a damaged page shows.
     */
    private static SQLException statementFailure(SQLException e) {
        return e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
    }

    private static void completeStarts(RunBatch batch, boolean written) {
        for (LogEntry.Record record : batch.records()) {
            if (record instanceof LogEntry.Start s && s.recorded() != null) {
                s.recorded().complete(written);
            }
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debug("Rolling back a failed action log batch: {}", e.getMessage());
        }
    }

    /** Deletes the runs older than the newest {@code keepRuns} when {@code newest} starts a new {@link #PRUNE_EVERY}. */
    private void pruneAfter(Connection connection, long newest) throws SQLException {
        long lastId = newest - keepRuns;
        if (newest / PRUNE_EVERY <= prunedAt || lastId <= 0) {
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

    /** As {@link #storageFault}, for a write: a storage fault also counts the batch's records as unrecorded. */
    private boolean writeFault(SQLException e, int records) {
        if (storageFault(e)) {
            unrecorded.addAndGet(records);
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

    /** Transactions the writer committed since open. */
    long commits() {
        return commits.get();
    }

    /** Whether the log takes writes, for status; see {@link StorageHealth}. */
    public StorageHealth health() {
        return store.health();
    }

    /** Waits until every record queued before the call is written (or counted as unrecorded). */
    private void flush() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> passed = new CompletableFuture<>();
        try {
            if (!queue.offer(new LogEntry.Barrier(passed), WRITER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the action log's writer is " + QUEUE_CAPACITY + " records behind");
            }
            passed.get(WRITER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the action log's writer", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the action log's writer did not catch up within "
                    + WRITER_WAIT.toSeconds() + " s", e);
        }
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
    public List<ActionRun> runs(int limit) {
        flush();
        return select("SELECT * FROM action_run ORDER BY id DESC LIMIT ?", limit);
    }

    /** The dead-letter record: failed and interrupted runs, newest first, without their steps. */
    public List<ActionRun> failed(int limit) {
        flush();
        return select("SELECT * FROM action_run WHERE status IN ('failed', 'interrupted') ORDER BY id DESC LIMIT ?", limit);
    }

    /** One run with its steps. */
    public Optional<ActionRun> run(long id) {
        flush();
        return readRun(id);
    }

    private synchronized Optional<ActionRun> readRun(long id) {
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

    private synchronized List<ActionRun> select(String sql, long arg) {
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

    /**
     * Writes everything queued, stops the writer and closes the file. Records made after (by actions still running)
     * are counted as unrecorded.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(new LogEntry.Stop(), WRITER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The action log's writer did not take its stop within {} s.", WRITER_WAIT.toSeconds());
            }
            writer.join(WRITER_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            List<LogEntry> left = new ArrayList<>();
            queue.drainTo(left);
            for (LogEntry entry : left) {
                if (entry instanceof LogEntry.Record) {
                    unrecorded.incrementAndGet();
                } else if (entry instanceof LogEntry.Barrier b) {
                    b.passed().complete(null);
                }
            }
            store.close();
        }
    }
}
