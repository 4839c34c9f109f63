package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Reading;
import io.edgeagent.support.StorageHealth;
import io.edgeagent.testing.FaultyFileSystem;
import io.edgeagent.uplink.OutboxSource;
import io.edgeagent.uplink.Uplink;
import io.edgeagent.uplink.UplinkBatch;
import io.edgeagent.uplink.UplinkException;
import io.edgeagent.uplink.UplinkTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private static final BufferConfig NO_GUARD = new BufferConfig(null, null, null, null, null, null, new ByteSize(0));
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
        buffer = H2Buffer.open(data, config, Clock.systemUTC(), FaultyFileSystem.SCHEME);
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
    void remove_failsAfterTheTargetConfirmed_uplinkRetriesOnlyTheRemovalAndNeverResends() {
        open(NO_GUARD).append(readings(0, 5), List.of());
        buffer.checkpoint();
        List<UplinkBatch> sent = new CopyOnWriteArrayList<>();
        UplinkTarget target = new UplinkTarget() {
            @Override
            public void start() {
            }

            @Override
            public long send(UplinkBatch batch) throws UplinkException {
                sent.add(batch);
                if (sent.size() == 1) {
                    // The disk fills between the upload and its removal; a fresh event is what H2 fails to write.
                    FaultyFileSystem.failWrites(data);
                    buffer.append(readings(100, 1), List.of());
                    assertThatThrownBy(buffer::checkpoint).isInstanceOf(BufferException.class);
                }
                return 1;
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public String describe() {
                return "test target";
            }

            @Override
            public void close() {
            }
        };
        Uplink uplink = new Uplink(outbox(buffer), target, 10, 0.5, Duration.ofMillis(10), Duration.ofMillis(50));
        uplink.start();
        try {
            await().atMost(HEAL).until(() -> uplink.stats().failedAttempts() >= 2);
            assertThat(sent).hasSize(1);

            FaultyFileSystem.heal(data);
            await().atMost(HEAL).until(() -> buffer.depth() == 0 && uplink.stats().sentEvents() == 6);

            assertThat(ids(sent.get(0).events())).containsExactly("r-0", "r-1", "r-2", "r-3", "r-4");
            assertThat(sent.stream().flatMap(b -> ids(b.events()).stream()))
                    .as("no event sent twice").doesNotHaveDuplicates().hasSize(6);
            await().atMost(HEAL).until(() -> uplink.stats().consecutiveFailures() == 0);
        } finally {
            uplink.close(Duration.ofSeconds(2));
        }
        buffer.close();
        buffer = H2Buffer.open(data, NO_GUARD);
        assertThat(buffer.depth()).isZero();
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

    /** The uplink's view of the buffer, as the agent wires it. */
    static OutboxSource outbox(H2Buffer buffer) {
        return new OutboxSource() {
            @Override
            public List<BufferedEvent> peekOldest(int max) {
                return buffer.peek(max);
            }

            @Override
            public List<BufferedEvent> peekNewest(int max, long afterSeq) {
                return buffer.peekNewest(max, afterSeq);
            }

            @Override
            public void remove(List<BufferedEvent> rows) {
                buffer.remove(rows);
            }

            @Override
            public long depth() {
                return buffer.depth();
            }
        };
    }
}
