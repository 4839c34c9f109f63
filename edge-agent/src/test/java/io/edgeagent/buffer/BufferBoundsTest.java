package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's bounds (bytes and age) under both policies, on a real H2 file. */
@Timeout(60)
class BufferBoundsTest {

    private static final long T0 = 1_795_335_330_000L;
    /** Every test reading serialises to the same length, so bounds can be given in events. */
    private static final int BODY = EventJson.toJson(reading(0)).length();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    static Reading reading(int i) {
        return new Reading(String.format("r-%05d", i), "dev-" + (i % 3), "temperature", 20.5, "C", T0 + i, T0 + i,
                "sensors/dev-" + (i % 3) + "/temperature");
    }

    private static List<Reading> readings(int from, int to) {
        return IntStream.range(from, to).mapToObj(BufferBoundsTest::reading).toList();
    }

    private static BufferConfig config(String policy, long maxEvents, Duration maxAge) {
        return new BufferConfig(new ByteSize(maxEvents * BODY), maxAge, policy, null, null, null, null);
    }

    private static List<String> ids(List<BufferedEvent> rows) {
        return rows.stream().map(BufferedEvent::id).toList();
    }

    private static List<String> idsOf(List<Reading> readings) {
        return readings.stream().map(Reading::id).toList();
    }

    @Test
    void append_overMaxBytesWithDropOldest_keepsTheNewestAndCountsTheDropped() {
        BufferConfig config = config(BufferConfig.POLICY_DROP_OLDEST, 10, Duration.ofDays(7));
        try (H2Buffer buffer = H2Buffer.open(dir, config, clock)) {
            for (int i = 0; i < 25; i += 5) {
                buffer.append(readings(i, i + 5), List.of());
            }

            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(15, 25)));
            assertThat(buffer.dropped()).isEqualTo(15);
            assertThat(buffer.depth()).isEqualTo(10);
            assertThat(buffer.storedBytes()).isEqualTo(10L * BODY);
            assertThat(buffer.stats().dropped()).isEqualTo(15);
            buffer.checkpoint();
        }
        try (H2Buffer reopened = H2Buffer.open(dir, config, clock)) {
            assertThat(reopened.dropped()).as("the count survives a restart").isEqualTo(15);
            assertThat(reopened.storedBytes()).isEqualTo(10L * BODY);
            reopened.append(readings(25, 26), List.of());
            assertThat(reopened.dropped()).isEqualTo(16);
            assertThat(ids(reopened.peek(1))).containsExactly(reading(16).id());
        }
    }

    @Test
    void append_batchLargerThanMaxBytesWithDropOldest_keepsItsNewestEvents() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_DROP_OLDEST, 4, Duration.ofDays(7)), clock)) {
            buffer.append(readings(0, 3), List.of());
            buffer.append(readings(3, 13), List.of());

            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(9, 13)));
            assertThat(buffer.dropped()).isEqualTo(9);
        }
    }

    @Test
    void append_overMaxBytesWithBackpressure_refusesWithoutWritingAndAcceptsAfterRemoval() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_BACKPRESSURE, 10, Duration.ofDays(7)), clock)) {
            buffer.append(readings(0, 8), List.of());

            assertThatThrownBy(() -> buffer.append(readings(8, 11), List.of()))
                    .isInstanceOf(BufferFullException.class)
                    .hasMessageContaining("buffer.maxBytes");
            assertThat(buffer.depth()).isEqualTo(8);
            assertThat(buffer.refused()).isEqualTo(1);
            buffer.append(readings(8, 10), List.of());
            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(0, 10)));

            buffer.remove(buffer.peek(3));
            buffer.append(readings(10, 13), List.of());

            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(3, 13)));
            assertThat(buffer.dropped()).isZero();
        }
    }

    @Test
    void append_deadLettersOnlyToAFullBufferWithBackpressure_areStored() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_BACKPRESSURE, 2, Duration.ofDays(7)), clock)) {
            buffer.append(readings(0, 2), List.of());

            buffer.append(List.of(), List.of(new io.edgeagent.event.DeadLetter("t", new byte[] {1}, "bad", T0)));

            assertThat(buffer.deadLetters()).isEqualTo(1);
        }
    }

    @Test
    void append_toAnEmptyBufferWithBackpressure_takesABatchLargerThanMaxBytes() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_BACKPRESSURE, 2, Duration.ofDays(7)), clock)) {
            buffer.append(readings(0, 5), List.of());

            assertThat(buffer.depth()).as("refusing it would stop ingest with nothing to upload").isEqualTo(5);
        }
    }

    @Test
    void append_afterRowsOutlivedMaxAgeWithDropOldest_dropsOnlyTheAgedRows() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_DROP_OLDEST, 1000, Duration.ofHours(1)), clock)) {
            buffer.append(readings(0, 3), List.of());
            clock.advance(Duration.ofMinutes(30));
            buffer.append(readings(3, 5), List.of());
            clock.advance(Duration.ofMinutes(31));

            buffer.append(readings(5, 6), List.of());

            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(3, 6)));
            assertThat(buffer.dropped()).isEqualTo(3);
            assertThat(buffer.oldestStoredTime()).isEqualTo(T0 + Duration.ofMinutes(30).toMillis());
        }
    }

    @Test
    void append_afterRowsOutlivedMaxAgeWithBackpressure_refusesAndKeepsThem() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_BACKPRESSURE, 1000, Duration.ofHours(1)), clock)) {
            buffer.append(readings(0, 3), List.of());
            clock.advance(Duration.ofMinutes(61));

            assertThatThrownBy(() -> buffer.append(readings(3, 4), List.of()))
                    .isInstanceOf(BufferFullException.class).hasMessageContaining("buffer.maxAge");

            buffer.remove(buffer.peek(3));
            buffer.append(readings(3, 4), List.of());
            assertThat(ids(buffer.peek(100))).containsExactly(reading(3).id());
        }
    }

    @Test
    void remove_rowsThatDropOldestDeletedMeanwhile_countsThemOnce() {
        try (H2Buffer buffer = H2Buffer.open(dir, config(BufferConfig.POLICY_DROP_OLDEST, 5, Duration.ofDays(7)), clock)) {
            buffer.append(readings(0, 5), List.of());
            List<BufferedEvent> inFlight = buffer.peek(5);
            buffer.append(readings(5, 8), List.of());

            buffer.remove(inFlight);

            assertThat(buffer.depth()).isEqualTo(3);
            assertThat(buffer.storedBytes()).isEqualTo(3L * BODY);
            assertThat(ids(buffer.peek(100))).containsExactlyElementsOf(idsOf(readings(5, 8)));
        }
    }

    @Test
    void readAfter_pagesThroughTheOutboxInSeqOrder() {
        try (H2Buffer buffer = H2Buffer.open(dir, BufferConfig.defaults(), clock)) {
            buffer.append(readings(0, 7), List.of());
            List<String> seen = new ArrayList<>();
            long after = 0;
            for (List<BufferedEvent> page = buffer.readAfter(after, 3); !page.isEmpty(); page = buffer.readAfter(after, 3)) {
                page.forEach(r -> seen.add(r.id()));
                after = page.get(page.size() - 1).seq();
            }

            assertThat(seen).containsExactlyElementsOf(idsOf(readings(0, 7)));
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
