package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.storage.H2FileCheck;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.testing.FileDamage;
import io.edgeagent.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action log's file cut in half, emptied, and with random bytes mid-file, and a damaged page found by a read
 * or a write at runtime: the readable history is kept.
 */
@Timeout(120)
class ActionLogSalvageTest {

    private static final int RUNS = 3000;

    @TempDir
    Path dir;

    /**
     * Each record written before the next is made (a read waits for that), as records come when runs are rare and
     * their steps take a while: left to group them, the log would write these 3,000 runs in a few transactions and
     * H2 in one or two versions, a file unlike one written over hours, with no older version to fall back on.
     */
    private void record(int runs) {
        try (ActionLog log = ActionLog.open(dir)) {
            for (int i = 0; i < runs; i++) {
                long id = log.start("rule-" + i % 7, "dev-" + i, Map.of("value", i, "note", "x".repeat(100)), 0);
                log.run(id);
                log.step(id, 0, new ActionRun.Step("steps[0]", "log", 1, "succeeded", null, "out " + i, i, i + 1));
                log.run(id);
                log.finish(id, "succeeded", null);
                log.run(id);
            }
        }
    }

    private Path file() {
        return dir.resolve(ActionLog.DB_NAME + ".mv.db");
    }

    @Test
    void open_fileCutInHalf_keepsTheReadableRunsAndSaysWhatWasLost() throws Exception {
        record(RUNS);
        FileDamage.truncateToHalf(file());

        try (LogCapture warnings = new LogCapture(H2Salvage.class); ActionLog log = ActionLog.open(dir)) {
            List<ActionRun> runs = log.runs(RUNS);
            assertThat(runs).isNotEmpty().hasSizeLessThan(RUNS);
            // The newest run may have been cut off between its start and its step: check the oldest.
            assertThat(log.run(runs.get(runs.size() - 1).id())).get().satisfies(r -> assertThat(r.steps()).hasSize(1));
            assertThat(warnings.warnings()).singleElement().asString().contains("actions.mv.db is damaged",
                    "cut short", runs.size() + " of " + runs.size() + " action runs recovered");
            assertThat(FileDamage.quarantined(dir, "actions.mv.db")).hasSize(1);
            long next = log.start("after", "k", Map.of(), 0);
            assertThat(next).as("new runs never reuse a recovered id").isGreaterThan(runs.get(0).id());
        }
    }

    @Test
    void open_zeroLengthFile_startsAFreshLogLoudly() throws Exception {
        record(10);
        FileDamage.empty(file());

        try (LogCapture warnings = new LogCapture(H2Salvage.class); ActionLog log = ActionLog.open(dir)) {
            assertThat(log.runs(10)).isEmpty();
            assertThat(warnings.warnings()).singleElement().asString().contains("the file is empty");
            assertThat(FileDamage.quarantined(dir, "actions.mv.db")).singleElement()
                    .satisfies(f -> assertThat(Files.size(f)).isZero());
        }
    }

    /**
     * 64 KB rather than the buffer tests' 4 KB: the log commits every write, so the middle of its file is mostly
     * space H2 no longer uses (a 4 KB hole there costs nothing); this one hits the newest chunks, and H2 alone would
     * silently open an older version.
     */
    @Test
    void open_randomBytesOverTheNewestChunks_keepsTheReadableVersionAndSaysWhatWasLost() throws Exception {
        record(RUNS);
        FileDamage.overwriteMiddle(file(), 64 * 1024, 42);

        try (LogCapture warnings = new LogCapture(H2Salvage.class); ActionLog log = ActionLog.open(dir)) {
            List<ActionRun> runs = log.runs(RUNS);
            assertThat(runs).isNotEmpty().hasSizeLessThan(RUNS).extracting(ActionRun::id).doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(id).isBetween(1L, (long) RUNS));
            // Read through the rebuilt status index; the older version may hold the run that was being recorded.
            assertThat(log.failed(RUNS)).hasSizeLessThanOrEqualTo(1).extracting(ActionRun::status)
                    .allSatisfy(status -> assertThat(status).isEqualTo("interrupted"));
            assertThat(warnings.warnings()).singleElement().asString()
                    .contains("the newest chunks are damaged or missing", runs.size() + " of ",
                            "action runs recovered", "versions committed after it");
        }
    }

    @Test
    void quarantineAndSalvage_unreadableRows_areCountedPerTable() throws Exception {
        record(RUNS);
        FileDamage.overwriteMiddle(file(), 64 * 1024, 42);

        H2Salvage.Salvage salvage = H2Salvage.quarantineAndSalvage(dir, new H2Salvage.Target(ActionLog.DB_NAME,
                ActionLog::createSchema, "action_run", "action runs", null), "test damage", 5);

        assertThat(salvage.quarantined()).isEqualTo(dir.resolve("actions.mv.db.corrupt-5"));
        assertThat(salvage.tables()).containsKeys("ACTION_RUN", "ACTION_STEP");
        assertThat(salvage.recovered()).isEqualTo(salvage.tables().get("ACTION_RUN").read()).isPositive();
        assertThat(salvage.versionsCutOff()).isPositive();
    }
    /**
     * Damage found by a read, not at open: noise over the page of an old run (the structural check passes and open
     * reads only the status index), so listing the runs fails on the page; the log quarantines the file, salvages
     * the readable runs, reopens and takes new runs.
     */
    @Test
    void runs_damagedPageOfAnOldRun_salvagesTheFileAndHeals() throws Exception {
        damageRunTen();

        try (LogCapture warnings = new LogCapture(H2Salvage.class); ActionLog log = ActionLog.open(dir)) {
            assertThat(warnings.warnings()).as("not found at open").isEmpty();
            assertThatThrownBy(() -> log.runs(RUNS))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(log.unrecorded()).as("a failed read is not an unrecorded write").isZero();
            assertHealsBySalvage(log, warnings);
        }
    }

    /** A write that reads the damaged page (marking run 10 as retried) salvages the same way. */
    @Test
    void start_retryOfARunOnADamagedPage_salvagesTheFileAndHeals() throws Exception {
        damageRunTen();

        try (LogCapture warnings = new LogCapture(H2Salvage.class); ActionLog log = ActionLog.open(dir)) {
            assertThat(log.start("retry", "dev-10", Map.of(), 11)).isEqualTo(ActionLog.UNRECORDED);
            assertThat(log.unrecorded()).isEqualTo(1);
            assertHealsBySalvage(log, warnings);
        }
    }

    /**
     * Noise over the page of an old run (run 10, whose fields are JSON in the file, in either key order), written in
     * an early chunk: the structural check passes and open reads only the status index.
     */
    private void damageRunTen() throws Exception {
        record(RUNS);
        int hits = 0;
        for (String marker : List.of("\"value\":10,", "\"value\":10}")) {
            hits += FileDamage.overwriteAt(file(), marker.getBytes(StandardCharsets.US_ASCII), 512, 42);
        }
        assertThat(hits).isPositive();
        assertThat(H2FileCheck.problem(file())).as("the structural check passes").isEmpty();
    }

    private void assertHealsBySalvage(ActionLog log, LogCapture warnings) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> log.health().healthy());
        assertThat(FileDamage.quarantined(dir, "actions.mv.db")).hasSize(1);
        assertThat(warnings.warnings()).singleElement().asString().contains("damaged page", "action runs recovered");
        List<ActionRun> runs = log.runs(RUNS);
        assertThat(runs).hasSizeBetween(1, RUNS - 1).extracting(ActionRun::key).contains("dev-" + (RUNS - 1));
        long next = log.start("after", "k", Map.of(), 0);
        assertThat(next).as("new runs never reuse a recovered id").isGreaterThan(runs.get(0).id());
        assertThat(log.runs(1)).extracting(ActionRun::key).containsExactly("k");
    }
}
