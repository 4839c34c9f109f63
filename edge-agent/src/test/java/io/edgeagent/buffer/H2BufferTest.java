package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

class H2BufferTest {

    private static final BufferConfig CONFIG = BufferConfig.defaults();
    private static final long T0 = 1_795_335_330_000L;

    @TempDir
    Path dir;

    static Reading reading(int i) {
        return new Reading("r-" + i, "dev-" + (i % 3), "temperature", 20.0 + i, "C", T0 + i, T0 + 1000 + i,
                "sensors/dev-" + (i % 3) + "/temperature");
    }

    static Location location(int i) {
        return new Location("l-" + i, "truck-" + i, 52.5 + i / 1000.0, 13.4, 5.0, null, 90.0, T0 + i, T0 + 2000 + i,
                "trackers/truck-" + i + "/location");
    }

    private static DeadLetter deadLetter(String reason, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        return new DeadLetter("sensors/bad/t", payload, reason, T0);
    }

    @Test
    void open_emptyDirectory_givesAnEmptyBuffer() {
        try (H2Buffer buffer = H2Buffer.open(dir.resolve("data"), CONFIG)) {
            assertThat(buffer.depth()).isZero();
            assertThat(buffer.peek(10)).isEmpty();
            assertThat(buffer.stats().rows()).isZero();
            assertThat(buffer.stats().oldestReceivedTime()).isZero();
        }
        assertThat(dir.resolve("data").resolve("buffer.mv.db")).exists();
    }

    @Test
    void remove_ofMoreThanTheJournalHolds_withoutAppends_checkpointsByItself() {
        // A drain while nothing arrives: the pipeline does not checkpoint, so removals alone must bound the journal.
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            int total = WriteJournal.MAX_ROWS + 5_000;
            for (int batch = 0; batch < total; batch += 1_000) {
                List<Event> events = new ArrayList<>();
                for (int i = batch; i < batch + 1_000; i++) {
                    events.add(reading(i));
                }
                buffer.append(events, List.of());
                buffer.checkpoint();
            }
            for (int removed = 0; removed < total; removed += 500) {
                buffer.remove(buffer.peek(500));
                assertThat(buffer.journalRows()).isLessThanOrEqualTo(WriteJournal.MAX_ROWS);
            }
            assertThat(buffer.depth()).isZero();
        }
    }

    @Test
    void reopen_afterAppendCheckpointClose_hasEveryRowAndDeadLetterInOrder() {
        List<Event> events = List.of(reading(1), location(2), reading(3));
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(events, List.of(deadLetter("first", 3)));
            buffer.append(List.of(reading(4)), List.of(deadLetter("second", 4)));
            buffer.checkpoint();
        }

        try (H2Buffer reopened = H2Buffer.open(dir, CONFIG)) {
            List<BufferedEvent> rows = reopened.peek(100);

            assertThat(reopened.depth()).isEqualTo(4);
            assertThat(rows).extracting(BufferedEvent::id).containsExactly("r-1", "l-2", "r-3", "r-4");
            assertThat(rows).extracting(BufferedEvent::kind).containsExactly("Reading", "Location", "Reading", "Reading");
            assertThat(rows).extracting(BufferedEvent::deviceId).containsExactly("dev-1", "truck-2", "dev-0", "dev-1");
            assertThat(rows).extracting(BufferedEvent::eventTime).containsExactly(T0 + 1, T0 + 2, T0 + 3, T0 + 4);
            assertThat(rows.get(1).body()).isEqualTo(EventJson.toJson(location(2)));
            assertThat(rows).extracting(BufferedEvent::seq).isSorted().doesNotHaveDuplicates();
            assertThat(reopened.deadLetters()).isEqualTo(2);
            List<StoredDeadLetter> dead = reopened.recentDeadLetters(10);
            assertThat(dead).extracting(StoredDeadLetter::reason).as("newest first").containsExactly("second", "first");
            assertThat(dead.get(1).payload()).isEqualTo("xxx".getBytes(StandardCharsets.UTF_8));
            assertThat(dead.get(1).topic()).isEqualTo("sensors/bad/t");
            assertThat(dead.get(1).receivedTime()).isEqualTo(T0);
        }
    }

    @Test
    void peek_doesNotRemoveRows() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), reading(2), reading(3)), List.of());

            List<BufferedEvent> firstTwo = buffer.peek(2);
            List<BufferedEvent> again = buffer.peek(2);

            assertThat(firstTwo).extracting(BufferedEvent::id).containsExactly("r-1", "r-2");
            assertThat(again).isEqualTo(firstTwo);
            assertThat(buffer.depth()).isEqualTo(3);
        }
    }

    @Test
    void remove_deletesOnlyTheGivenRowsAndDepthFollows() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(IntStream.range(0, 5).mapToObj(H2BufferTest::reading).toList(), List.of());
            List<BufferedEvent> rows = buffer.peek(5);

            buffer.remove(List.of(rows.get(1), rows.get(3)));

            assertThat(buffer.depth()).isEqualTo(3);
            assertThat(buffer.peek(10)).extracting(BufferedEvent::id).containsExactly("r-0", "r-2", "r-4");

            buffer.remove(List.of(rows.get(1)));
            assertThat(buffer.depth()).as("removing a row twice counts once").isEqualTo(3);

            buffer.remove(List.of());
            buffer.remove(List.of(rows.get(0), rows.get(2), rows.get(4)));
            assertThat(buffer.depth()).isZero();
            assertThat(buffer.peek(10)).isEmpty();
            assertThat(buffer.appended()).isEqualTo(5);
        }
    }

    @Test
    void remove_survivesReopen() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), reading(2)), List.of());
            buffer.remove(buffer.peek(1));
        }

        try (H2Buffer reopened = H2Buffer.open(dir, CONFIG)) {
            assertThat(reopened.depth()).isEqualTo(1);
            assertThat(reopened.peek(10)).extracting(BufferedEvent::id).containsExactly("r-2");
        }
    }

    @Test
    void peekNewest_givesTheNewestRowsAfterASeqInUploadOrder() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(IntStream.range(0, 6).mapToObj(H2BufferTest::reading).toList(), List.of());
            List<BufferedEvent> all = buffer.peek(10);

            assertThat(buffer.peekNewest(2, 0)).extracting(BufferedEvent::id).containsExactly("r-4", "r-5");
            assertThat(buffer.peekNewest(10, all.get(3).seq())).extracting(BufferedEvent::id).containsExactly("r-4", "r-5");
            assertThat(buffer.peekNewest(10, all.get(5).seq())).isEmpty();
        }
    }

    @Test
    void open_directoryInUse_failsSayingSo() {
        try (H2Buffer first = H2Buffer.open(dir, CONFIG)) {
            assertThatThrownBy(() -> H2Buffer.open(dir, CONFIG))
                    .isInstanceOf(BufferException.class)
                    .hasMessageContaining("data directory " + dir + " is in use")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());

            first.append(List.of(reading(1)), List.of());
            assertThat(first.peek(1)).as("the first buffer still works").hasSize(1);
        }

        try (H2Buffer afterClose = H2Buffer.open(dir, CONFIG)) {
            assertThat(afterClose.depth()).as("the lock is released on close").isEqualTo(1);
        }
    }

    @Test
    void dataDirectoryLock_heldTwice_isRefusedUntilReleased() {
        DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        try {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir)).isInstanceOf(BufferException.class)
                    .hasMessageContaining("is in use by another edge-agent");
        } finally {
            lock.close();
        }
        DataDirectoryLock.acquire(dir).close();
    }

    @Test
    void open_garbageDatabaseFile_isMovedAsideAndAFreshBufferOpens() throws IOException {
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        Files.write(dir.resolve("buffer.mv.db"), garbage);

        assertQuarantinedAndFresh(garbage);
    }

    @Test
    void open_textInsteadOfDatabase_isMovedAsideAndAFreshBufferOpens() throws IOException {
        byte[] text = "this is not an H2 database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("buffer.mv.db"), text);

        assertQuarantinedAndFresh(text);
    }

    /**
     * H2 does not report a file cut in the middle as corrupt: MVStore falls back to its last complete chunk. What
     * matters is that the agent starts, keeps an in-order prefix of what was stored, and accepts new events.
     */
    @Test
    void open_databaseTruncatedInTheMiddle_opensWithAnInOrderPrefixOfTheRows() throws IOException {
        int total = 2000;
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            for (int from = 0; from < total; from += 100) {
                buffer.append(IntStream.range(from, from + 100).mapToObj(H2BufferTest::reading).toList(), List.of());
                buffer.checkpoint();
            }
        }
        Path file = dir.resolve("buffer.mv.db");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            List<BufferedEvent> rows = buffer.peek(total);
            assertThat(buffer.depth()).isEqualTo(rows.size()).isLessThanOrEqualTo(total);
            assertThat(rows).extracting(BufferedEvent::id)
                    .containsExactlyElementsOf(IntStream.range(0, rows.size()).mapToObj(i -> "r-" + i).toList());
            buffer.append(List.of(reading(total)), List.of());
            assertThat(buffer.depth()).isEqualTo(rows.size() + 1);
        }
    }

    private void assertQuarantinedAndFresh(byte[] corruptContent) throws IOException {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(buffer.depth()).isZero();
            buffer.append(List.of(reading(1)), List.of());
            assertThat(buffer.peek(10)).extracting(BufferedEvent::id).containsExactly("r-1");
        }
        List<Path> quarantined;
        try (Stream<Path> files = Files.list(dir)) {
            quarantined = files.filter(f -> f.getFileName().toString().startsWith("buffer.mv.db.corrupt-")).toList();
        }
        assertThat(quarantined).as("the corrupt file is kept aside for recovery").singleElement()
                .satisfies(f -> assertThat(Files.readAllBytes(f)).isEqualTo(corruptContent));
    }

    @Test
    void append_deadLetterOver64KiB_isTruncatedAndTheReasonSaysSo() {
        int size = 70_000;
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(), List.of(deadLetter("payload is not valid JSON", size),
                    deadLetter("exactly the limit", DeadLetterTable.MAX_PAYLOAD)));

            List<StoredDeadLetter> stored = buffer.recentDeadLetters(10);

            StoredDeadLetter atLimit = stored.get(0);
            assertThat(atLimit.reason()).isEqualTo("exactly the limit");
            assertThat(atLimit.payload()).hasSize(DeadLetterTable.MAX_PAYLOAD);
            StoredDeadLetter big = stored.get(1);
            assertThat(big.payload()).hasSize(64 * 1024);
            assertThat(big.reason()).startsWith("payload is not valid JSON")
                    .contains("payload of " + size + " bytes truncated to " + 64 * 1024);
            assertThat(buffer.deadLetters()).isEqualTo(2);
        }
    }

    @Test
    void append_veryLongReason_isStoredCut() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(), List.of(deadLetter("r".repeat(10_000), 1)));

            assertThat(buffer.recentDeadLetters(1).get(0).reason()).hasSize(4000);
        }
    }

    /**
     * Event ids and device ids come from payloads ({@code id}, {@code deviceId}); whatever length a device sends, the
     * buffer must store it, or one such message fails every append of its batch and the pipeline retries forever.
     */
    @Test
    void append_eventWithLongIdAndDeviceId_isStored() {
        String longId = "i".repeat(1000);
        String longDevice = "d".repeat(1000);
        Reading odd = new Reading(longId, longDevice, "temperature", 1.0, null, T0, T0, "sensors/x/temperature");
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), odd, reading(2)), List.of());

            assertThat(buffer.peek(10)).extracting(BufferedEvent::id).containsExactly("r-1", longId, "r-2");
            assertThat(buffer.peek(10).get(1).deviceId()).isEqualTo(longDevice);
        }
    }

    @Test
    void stats_countRowsByKindAndTheOldestReceiveTime() {
        List<Event> events = new ArrayList<>();
        events.add(reading(5));
        events.add(location(1));
        events.add(reading(2));
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(events, List.of(deadLetter("bad", 1)));
            buffer.checkpoint();

            BufferStats stats = buffer.stats();

            assertThat(stats.rowsByKind()).isEqualTo(Map.of("Location", 1L, "Reading", 2L));
            assertThat(stats.rows()).isEqualTo(3);
            assertThat(stats.deadLetters()).isEqualTo(1);
            assertThat(stats.oldestReceivedTime()).isEqualTo(T0 + 1002);
            assertThat(stats.bytes()).isPositive();
            assertThat(stats.dropped()).isZero();

            buffer.remove(buffer.peek(3).subList(1, 2));
            assertThat(buffer.stats().rowsByKind()).isEqualTo(Map.of("Reading", 2L));
        }
    }

    @Test
    void seq_staysStrictlyIncreasingAcrossReopen() {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), reading(2)), List.of());
        }
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(3)), List.of());
            List<BufferedEvent> rows = buffer.peek(10);
            assertThat(rows).extracting(BufferedEvent::id).containsExactly("r-1", "r-2", "r-3");
            assertThat(rows).extracting(BufferedEvent::seq).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void append_batchesOfEverySizeAroundTheMultiRowChunk_keepEveryEventOnceInOrder() {
        int chunk = OutboxTable.ROWS_PER_INSERT;
        // Every size up to one past a chunk (each piece of the rest in every combination), then larger ones.
        int[] sizes = IntStream.concat(IntStream.rangeClosed(1, chunk + 1), IntStream.of(2 * chunk, 2 * chunk + 5, 1000))
                .toArray();
        List<String> expected = new ArrayList<>();
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            int next = 0;
            for (int size : sizes) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Event event = next % 7 == 3 ? location(next) : reading(next);
                    batch.add(event);
                    expected.add(event.id());
                    next++;
                }
                buffer.append(batch, List.of(new DeadLetter("t/" + size, new byte[] {1}, "bad", T0)));
            }
            List<BufferedEvent> rows = buffer.readAfter(0, 10_000);
            assertThat(rows).extracting(BufferedEvent::id).containsExactlyElementsOf(expected);
            assertThat(rows).extracting(BufferedEvent::seq).isSorted().doesNotHaveDuplicates();
            assertThat(buffer.depth()).isEqualTo(expected.size());
            assertThat(buffer.deadLetters()).isEqualTo(sizes.length);
        }
    }

    @Test
    void append_failingInTheChunkOrInTheRest_storesNothingAndTheRetryStoresEachEventOnce() {
        int chunk = OutboxTable.ROWS_PER_INSERT;
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            for (int bad : new int[] {5, chunk + 3}) {
                List<Event> good = new ArrayList<>();
                for (int i = 0; i < chunk + 10; i++) {
                    good.add(reading(bad * 1000 + i));
                }
                List<Event> broken = new ArrayList<>(good);
                Reading r = (Reading) broken.get(bad);
                broken.set(bad, new Reading(null, r.deviceId(), r.type(), r.value(), r.unit(), r.eventTime(),
                        r.receivedTime(), r.topic()));
                long before = buffer.depth();
                assertThatThrownBy(() -> buffer.append(broken, List.of(new DeadLetter("t", new byte[] {1}, "x", T0))))
                        .isInstanceOf(BufferException.class);
                assertThat(buffer.readAfter(0, 10_000)).hasSize((int) before);
                buffer.append(good, List.of());
                assertThat(buffer.readAfter(0, 10_000)).hasSize((int) before + good.size())
                        .extracting(BufferedEvent::id).doesNotHaveDuplicates();
            }
            assertThat(buffer.deadLetters()).isZero();
            assertThat(buffer.recentDeadLetters(10)).isEmpty();
        }
    }

    @Test
    void reopen_afterAppendsRemovalsAndDrops_bytesFromTheStoredTotalsEqualTheSumOfTheRemainingBodies() throws Exception {
        BufferConfig small = new BufferConfig(ByteSize.parse("4KB"), CONFIG.maxAge(), "drop-oldest", null, null, null, null);
        try (H2Buffer buffer = H2Buffer.open(dir, small)) {
            for (int batch = 0; batch < 10; batch++) {
                buffer.append(IntStream.range(batch * 10, batch * 10 + 10).mapToObj(H2BufferTest::reading)
                        .map(Event.class::cast).toList(), List.of());
            }
            buffer.remove(buffer.peek(7));
            buffer.checkpoint();
        }

        long sum;
        try (Connection raw = rawConnection(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(LENGTH(body)), COUNT(*) FROM outbox")) {
            rs.next();
            sum = rs.getLong(1);
            long rows = rs.getLong(2);
            assertThat(rows).as("drop-oldest kept the outbox under 4 KB").isLessThan(93);
            // The totals were committed with the rows, so the next open can trust them without summing.
            assertThat(totals(raw)).containsExactly(sum, rows);
        }
        try (H2Buffer reopened = H2Buffer.open(dir, small)) {
            assertThat(reopened.storedBytes()).isEqualTo(sum).isPositive();
        }
    }

    @Test
    void reopen_fileWithoutMatchingTotals_sumsTheBodiesOnceAndStoresTheTotals() throws Exception {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), location(2), reading(3)), List.of());
        }
        long expected = Stream.of(reading(1), location(2), reading(3))
                .mapToLong(e -> EventJson.toJson(e).getBytes(StandardCharsets.UTF_8).length).sum();
        try (Connection raw = rawConnection(); Statement s = raw.createStatement()) {
            // What a version before the totals, or one that changed the rows without them, leaves behind.
            s.executeUpdate("UPDATE counters SET amount = 99 WHERE name = 'outbox_rows'");
            s.executeUpdate("UPDATE counters SET amount = 1 WHERE name = 'outbox_bytes'");
        }

        try (H2Buffer reopened = H2Buffer.open(dir, CONFIG)) {
            assertThat(reopened.storedBytes()).isEqualTo(expected);
        }
        try (Connection raw = rawConnection()) {
            assertThat(totals(raw)).containsExactly(expected, 3L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"'outbox_rows'", "'outbox_bytes'", "'outbox_rows', 'outbox_bytes'"})
    void append_totalsRowsMissing_storesBothTotalsAgain(String missing) throws Exception {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(reading(1), location(2)), List.of());
        }
        try (Connection raw = rawConnection(); Statement s = raw.createStatement()) {
            s.executeUpdate("DELETE FROM counters WHERE name IN (" + missing + ")");
        }

        try (H2Buffer reopened = H2Buffer.open(dir, CONFIG)) {
            reopened.append(List.of(reading(3)), List.of());
            reopened.append(List.of(reading(4)), List.of());
        }
        long expected = Stream.of(reading(1), location(2), reading(3), reading(4))
                .mapToLong(e -> EventJson.toJson(e).getBytes(StandardCharsets.UTF_8).length).sum();
        try (Connection raw = rawConnection()) {
            assertThat(totals(raw)).containsExactly(expected, 4L);
        }
    }

    @Test
    void open_bufferWrittenWithVarcharBodies_convertsThemAndDrainsEveryEvent() throws Exception {
        Reading accented = new Reading("r-é", "kühlraum-1", "temperature", -18.5, "°C", T0, T0 + 1, "sensors/kühlraum-1/temperature");
        List<String> bodies = List.of(EventJson.toJson(reading(1)), EventJson.toJson(accented), EventJson.toJson(location(2)));
        try (Connection raw = rawConnection(); Statement s = raw.createStatement()) {
            // The outbox and totals as the previous version created and wrote them (bytes counted in characters).
            s.execute("CREATE TABLE outbox (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    + "id VARCHAR NOT NULL, kind VARCHAR(32) NOT NULL, device_id VARCHAR NOT NULL, "
                    + "event_time BIGINT NOT NULL, received_time BIGINT NOT NULL, body VARCHAR(1000000) NOT NULL, "
                    + "stored_time BIGINT DEFAULT 0 NOT NULL)");
            s.execute("CREATE TABLE counters (name VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)");
            for (int i = 0; i < bodies.size(); i++) {
                s.execute("INSERT INTO outbox(id, kind, device_id, event_time, received_time, stored_time, body) "
                        + "VALUES ('old-" + i + "', 'Reading', 'd', " + T0 + ", " + T0 + ", " + T0 + ", '"
                        + bodies.get(i).replace("'", "''") + "')");
            }
            s.execute("INSERT INTO counters VALUES ('outbox_rows', 3), ('outbox_bytes', "
                    + bodies.stream().mapToLong(String::length).sum() + ")");
        }
        long utf8 = bodies.stream().mapToLong(b -> b.getBytes(StandardCharsets.UTF_8).length).sum();

        try (H2Buffer reopened = H2Buffer.open(dir, CONFIG)) {
            assertThat(reopened.storedBytes()).isEqualTo(utf8).isGreaterThan(bodies.stream().mapToLong(String::length).sum());
            List<BufferedEvent> rows = reopened.peek(10);
            assertThat(rows).extracting(BufferedEvent::body).containsExactlyElementsOf(bodies);
            reopened.append(List.of(reading(9)), List.of());
            reopened.remove(reopened.peek(10));

            assertThat(reopened.depth()).isZero();
            assertThat(reopened.storedBytes()).isZero();
        }
        try (Connection raw = rawConnection(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
                     + "WHERE TABLE_NAME = 'OUTBOX' AND COLUMN_NAME = 'BODY'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("BINARY VARYING");
        }
    }

    /** The stored outbox totals: bytes, then rows. */
    private static List<Long> totals(Connection raw) throws SQLException {
        List<Long> totals = new ArrayList<>();
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT amount FROM counters WHERE name LIKE 'outbox_%' ORDER BY name")) {
            while (rs.next()) {
                totals.add(rs.getLong(1));
            }
        }
        return totals;
    }

    private Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("buffer").toAbsolutePath(), "sa", "");
    }
}
