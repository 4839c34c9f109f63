package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.storage.StorageHealth;
import io.edgeagent.testing.FaultyFileSystem;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The action log through a file system that fails writes on demand: it keeps the agent going and heals by itself. */
@Timeout(60)
class ActionLogStorageFaultTest {

    @TempDir
    Path dir;

    private ActionLog log;

    @AfterEach
    void close() {
        FaultyFileSystem.heal(dir);
        if (log != null) {
            log.close();
        }
    }

    @Test
    void start_whileTheStorageFails_returnsUnrecordedThenRecordsAgainAfterItHeals() {
        FaultyFileSystem.install();
        log = ActionLog.open(dir, Clock.systemUTC(), ActionLog.DEFAULT_KEEP_RUNS, FaultyFileSystem.SCHEME);
        long before = log.start("cold-chain", "dev-1", Map.of("value", 1), 0);
        log.finish(before, ActionRun.SUCCEEDED, null);

        FaultyFileSystem.failWrites(dir);
        // H2 writes in the background: the store fails at its next write, and the log notices at the next call.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                log.start("cold-chain", "dev-2", Map.of(), 0) == ActionLog.UNRECORDED);
        assertThat(log.health().state()).isEqualTo(StorageHealth.State.REOPENING);
        log.finish(ActionLog.UNRECORDED, ActionRun.SUCCEEDED, null);
        assertThat(log.unrecorded()).isPositive();

        FaultyFileSystem.heal(dir);
        await().atMost(Duration.ofSeconds(20)).until(() -> log.health().healthy());
        long after = log.start("cold-chain", "dev-3", Map.of(), 0);
        log.finish(after, ActionRun.SUCCEEDED, null);

        assertThat(after).isPositive();
        // dev-1 may be gone: H2 had not written it yet when the store failed (documented: under a second of history).
        assertThat(log.runs(10)).extracting(ActionRun::key).contains("dev-3").doesNotContain("dev-2");
    }
}
