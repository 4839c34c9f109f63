package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Reading;
import io.edgeagent.storage.StorageHealth;
import io.edgeagent.testing.FaultyFileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffer through a file system that fails writes on demand ({@link FaultyFileSystem}): what a full disk or an I/O
 * error does to H2 (it closes its store), and that the buffer heals without a restart and loses nothing.
 */
@Timeout(60)
class H2BufferStorageFaultTest {

    private static final BufferConfig NO_GUARD = FaultyFileSystem.NO_GUARD;
    private static final Duration HEAL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path data;
    private H2Buffer buffer;

    @BeforeAll
    static void installFileSystem() {
        FaultyFileSystem.install();
    }

    @AfterEach
    void close() {
        FaultyFileSystem.heal(dir.resolve("data"));
        if (buffer != null) {
            buffer.close();
        }
    }

    private H2Buffer open(BufferConfig config) {
        data = dir.resolve("data");
        buffer = FaultyFileSystem.buffer(data, config);
        return buffer;
    }

    private static List<Reading> readings(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(H2BufferTest::reading).toList();
    }

    private static List<String> ids(List<BufferedEvent> rows) {
        return rows.stream().map(BufferedEvent::id).toList();
    }

    private void failTheStore() {
        FaultyFileSystem.failWrites(data);
        assertThatThrownBy(buffer::checkpoint).isInstanceOf(BufferException.class);
    }

    @Test
    void checkpoint_writeFails_healthTurnsReopeningAndCallsFailFast() {
        open(NO_GUARD).append(readings(0, 5), List.of());

        failTheStore();

        StorageHealth health = buffer.health();
        assertThat(health.state()).isEqualTo(StorageHealth.State.REOPENING);
        assertThat(health.reason()).isNotBlank();
        assertThat(health.sinceMillis()).isPositive();
        assertThatThrownBy(() -> buffer.append(readings(5, 1), List.of()))
                .isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> buffer.peek(10)).isInstanceOf(StorageUnavailableException.class);
        assertThat(buffer.storageFaults()).isEqualTo(1);
    }

    @Test
    void append_writeFailsThenHeals_resumesWithoutRestartWithTotalsRightAndNoLoss() {
        open(NO_GUARD);
        buffer.append(readings(0, 10), List.of());
        buffer.checkpoint();
        // Committed but not checkpointed when the store fails: H2 loses these with its store; the journal must not.
        buffer.append(readings(10, 10), List.of());
        failTheStore();
        assertThatThrownBy(() -> buffer.append(readings(20, 10), List.of())).isInstanceOf(BufferException.class);

        FaultyFileSystem.heal(data);
        await().atMost(HEAL).until(() -> buffer.health().healthy());
        buffer.append(readings(20, 10), List.of());
        buffer.checkpoint();

        List<String> expected = ids(buffer.peek(100));
        assertThat(expected).containsExactlyElementsOf(readings(0, 30).stream().map(Reading::id).toList());
        assertThat(buffer.depth()).isEqualTo(30);
        long bytes = buffer.storedBytes();
        assertThat(bytes).isEqualTo(buffer.peek(100).stream().mapToLong(r -> r.body().length()).sum());
        assertThat(buffer.storageFaults()).isEqualTo(1);

        buffer.close();
        buffer = H2Buffer.open(data, NO_GUARD);
        assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(expected);
        assertThat(buffer.depth()).isEqualTo(30);
        assertThat(buffer.storedBytes()).isEqualTo(bytes);
    }

    @Test
    void append_belowMinFreeSpace_refusedWithNothingWrittenWhileRemovalsGoOn() {
        open(NO_GUARD).append(readings(0, 3), List.of());
        buffer.close();
        BufferConfig unreachable = new BufferConfig(null, null, null, null, null, null, new ByteSize(Long.MAX_VALUE));
        open(unreachable);

        assertThatThrownBy(() -> buffer.append(readings(3, 1), List.of()))
                .isInstanceOf(LowDiskSpaceException.class)
                .isInstanceOf(BufferFullException.class)
                .hasMessageContaining("buffer.minFreeSpace");
        assertThat(buffer.health().state()).isEqualTo(StorageHealth.State.LOW_DISK_SPACE);
        assertThat(buffer.refusedForSpace()).isEqualTo(1);
        buffer.remove(buffer.peek(2));
        buffer.checkpoint();
        assertThat(buffer.depth()).isEqualTo(1);
        assertThat(ids(buffer.peek(10))).containsExactly("r-2");
    }
}
