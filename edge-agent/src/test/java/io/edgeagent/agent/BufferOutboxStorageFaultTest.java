package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeagent.buffer.BufferException;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Reading;
import io.edgeagent.testing.FaultyFileSystem;
import io.edgeagent.uplink.Uplink;
import io.edgeagent.uplink.UplinkBatch;
import io.edgeagent.uplink.UplinkException;
import io.edgeagent.uplink.UplinkTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The uplink over the real buffer as the agent wires them, with the buffer's storage failing between send and remove. */
@Timeout(60)
class BufferOutboxStorageFaultTest {

    private static final Duration HEAL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static List<Reading> readings(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> new Reading("r-" + i, "dev-1", "temperature", i, "C",
                1_795_000_000_000L + i, 1_795_000_001_000L + i, "sensors/dev-1/temperature")).toList();
    }

    private static List<String> ids(List<BufferedEvent> rows) {
        return rows.stream().map(BufferedEvent::id).toList();
    }

    @Test
    void remove_failsAfterTheTargetConfirmed_uplinkRetriesOnlyTheRemovalAndNeverResends() {
        FaultyFileSystem.install();
        Path data = dir.resolve("data");
        try (H2Buffer buffer = FaultyFileSystem.buffer(data, FaultyFileSystem.NO_GUARD)) {
            drainWhileTheStoreFails(data, buffer);
        } finally {
            FaultyFileSystem.heal(data);
        }
        try (H2Buffer reopened = H2Buffer.open(data, FaultyFileSystem.NO_GUARD)) {
            assertThat(reopened.depth()).isZero();
        }
    }

    private void drainWhileTheStoreFails(Path data, H2Buffer buffer) {
        buffer.append(readings(0, 5), List.of());
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
        Uplink uplink = new Uplink(new BufferOutbox(buffer), target, 10, 0.5, Duration.ofMillis(10), Duration.ofMillis(50));
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
    }
}
