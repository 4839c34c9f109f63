package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.BufferConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.storage.H2FileCheck;
import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.testing.FileDamage;
import io.edgeagent.testing.H2Pages;
import io.edgeagent.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged buffer files on real H2 files: cut in half, emptied, and 4 KB of random bytes mid-file, each while the
 * buffer is closed (a stopped agent). Every readable event must be kept, in order, what was lost counted and logged
 * with numbers, and the damaged file kept unchanged beside the fresh one.
 */
@Timeout(120)
class BufferSalvageTest {

    private static final BufferConfig CONFIG = BufferConfig.defaults();
    private static final int TOTAL = 20_000;

    @TempDir
    Path dir;

    /** Stored the way the pipeline stores them: batches of 1,000, each followed by a checkpoint. */
    private void store(int total) {
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            for (int from = 0; from < total; from += 1000) {
                buffer.append(IntStream.range(from, from + 1000).mapToObj(H2BufferTest::reading).toList(), List.of());
                buffer.checkpoint();
            }
        }
    }

    private Path file() {
        return dir.resolve("buffer.mv.db");
    }

    /** The outbox rows H2 can read from a quarantined file, counted independently of the salvage. */
    private static long readableRows(Path file) throws Exception {
        try (H2Files.ReadOnly old = H2Files.openReadOnly(file); Statement s = old.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "r-" + i).toList();
    }

    @Test
    void open_fileCutInHalf_quarantinesItAndKeepsEveryEventOfTheNewestCompleteVersion() throws Exception {
        store(TOTAL);
        FileDamage.truncateToHalf(file());
        byte[] cut = Files.readAllBytes(file());

        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            Path quarantined = FileDamage.quarantined(dir, "buffer.mv.db").get(0);
            long readable = readableRows(quarantined);
            assertThat(readable).isPositive().isLessThan(TOTAL);
            assertThat(buffer.depth()).isEqualTo(readable);
            assertThat(buffer.peek(TOTAL)).extracting(BufferedEvent::id).containsExactlyElementsOf(ids(0, (int) readable));
            assertThat(Files.readAllBytes(quarantined)).as("the damaged file is kept as it was").isEqualTo(cut);
            assertThat(log.warnings()).singleElement().asString()
                    .contains("buffer.mv.db is damaged", "cut short", quarantined.toString(),
                            readable + " of " + TOTAL + " events recovered, " + (TOTAL - readable) + " lost",
                            "versions committed after it", "recorded beside the file");
            assertThat(buffer.lost()).as("the cut is counted exactly").isEqualTo(TOTAL - readable);
        }
    }

    /** A salvage cut short (kill, full disk) left its half-written file; the damaged one is still in place. */
    @Test
    void open_afterASalvageWasCutShort_salvagesAgainFromTheDamagedFile() throws Exception {
        store(TOTAL);
        FileDamage.truncateToHalf(file());
        Files.write(dir.resolve("buffer-salvage.mv.db"), new byte[4096]);

        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            long readable = readableRows(FileDamage.quarantined(dir, "buffer.mv.db").get(0));
            assertThat(buffer.depth()).isEqualTo(readable).isPositive();
        }
        assertThat(dir.resolve("buffer-salvage.mv.db")).doesNotExist();
    }

    @Test
    void open_zeroLengthFile_isQuarantinedLoudlyAndAFreshBufferWorks() throws Exception {
        store(1000);
        FileDamage.empty(file());

        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(FileDamage.quarantined(dir, "buffer.mv.db")).singleElement()
                    .satisfies(f -> assertThat(Files.size(f)).isZero());
            assertThat(log.warnings()).singleElement().asString()
                    .contains("the file is empty (0 bytes)", "0 of 1000 events recovered, 1000 lost");
            buffer.append(List.of(H2BufferTest.reading(1)), List.of());
            assertThat(buffer.peek(10)).extracting(BufferedEvent::id).containsExactly("r-1");
        }
    }

    @Test
    void quarantineAndSalvage_randomBytesMidFile_keepsEveryReadableEventAndCountsTheLost() throws Exception {
        store(TOTAL);
        FileDamage.overwriteMiddle(file(), 4096, 42);
        byte[] damaged = Files.readAllBytes(file());

        H2Salvage.Salvage salvage;
        try (LogCapture log = new LogCapture(H2Salvage.class)) {
            salvage = BufferDamage.quarantineAndSalvage(dir, BufferSchema::create, "a page could not be read", 7);
            assertThat(log.warnings()).singleElement().asString().contains("a page could not be read",
                    salvage.recovered() + " of " + TOTAL + " events recovered, " + salvage.lost() + " lost");
        }

        assertThat(salvage.quarantined()).isEqualTo(dir.resolve("buffer.mv.db.corrupt-7"));
        assertThat(Files.readAllBytes(salvage.quarantined())).isEqualTo(damaged);
        assertThat(salvage.expected()).isEqualTo(TOTAL);
        assertThat(salvage.lost()).as("a 4 KB hole costs a page or two, not the rest").isBetween(1L, 200L);
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            List<BufferedEvent> rows = buffer.peek(TOTAL);
            assertThat(rows).hasSize((int) salvage.recovered());
            assertThat(rows).extracting(BufferedEvent::id).as("in order, the rows past the bad page included")
                    .isSubsetOf(ids(0, TOTAL)).startsWith("r-0").endsWith("r-" + (TOTAL - 1))
                    .isSortedAccordingTo((a, b) -> Integer.compare(number(a), number(b)));
            assertThat(buffer.lost()).isEqualTo(salvage.lost());
            assertThat(buffer.storedBytes()).isEqualTo(rows.stream().mapToLong(r -> r.body().length()).sum());

            buffer.append(List.of(H2BufferTest.reading(TOTAL)), List.of());
            assertThat(buffer.readAfter(rows.get(rows.size() - 1).seq(), 10)).as("new rows come after the salvaged")
                    .extracting(BufferedEvent::id).containsExactly("r-" + TOTAL);
        }
    }

    /**
     * Reads and removes pages of events the way the uplink does until the buffer is empty after a salvage; a read
     * that finds the damage fails while the buffer reopens, and the next one goes on from the salvaged file.
     */
    private static void drainUntilSalvaged(H2Buffer buffer, java.util.Collection<String> drained, int pageSize) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            try {
                List<BufferedEvent> page = buffer.peek(pageSize);
                page.forEach(e -> drained.add(e.id()));
                buffer.remove(page);
                return buffer.depth() == 0 && buffer.lost() > 0;
            } catch (BufferException e) {
                return false;
            }
        });
    }

    /**
     * The same damage found at runtime, the way the uplink finds it: the structural check passes, a read fails on
     * the damaged page, and the buffer reopens through the salvage; draining then gets every readable event.
     */
    @Test
    void drain_randomBytesMidFile_readFailureSalvagesTheFileAndEveryReadableEventDrains() throws Exception {
        store(TOTAL);
        FileDamage.overwriteMiddle(file(), 4096, 42);

        java.util.Set<String> drained = new java.util.HashSet<>();
        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(log.warnings()).as("not found at open").isEmpty();
            drainUntilSalvaged(buffer, drained, 500);
            // The events drained before the read hit the page are no longer in the file: the counts are of the rest.
            assertThat(log.warnings()).singleElement().asString().contains("damaged page", "events recovered, "
                    + buffer.lost() + " lost");
            assertThat(drained).hasSize(TOTAL - (int) buffer.lost()).contains("r-" + (TOTAL - 1));
        }
        assertThat(FileDamage.quarantined(dir, "buffer.mv.db")).hasSize(1);
    }

    /**
     * A file written before rows had checksums, and before they had a stored time: the salvage copies the columns
     * both files have, the rows take their receive time as stored time (the default, 0, would age them all out at
     * the next append), the copied rows have no checksum and are not checked, and rows stored afterwards get one.
     */
    @Test
    void quarantineAndSalvage_fileFromBeforeChecksumsAndStoredTimes_copiesEveryRowAndNewRowsAreChecked()
            throws Exception {
        long received = System.currentTimeMillis() - 60_000;
        try (java.sql.Connection raw = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + dir.resolve("buffer").toAbsolutePath(), "sa", ""); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE outbox (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    + "id VARCHAR NOT NULL, kind VARCHAR(32) NOT NULL, device_id VARCHAR NOT NULL, "
                    + "event_time BIGINT NOT NULL, received_time BIGINT NOT NULL, body VARBINARY(4000000) NOT NULL)");
            for (int i = 0; i < 3; i++) {
                s.execute("INSERT INTO outbox(id, kind, device_id, event_time, received_time, body) "
                        + "VALUES ('old-" + i + "', 'Reading', 'd', 1, " + received + ", X'7b7d')");
            }
        }

        H2Salvage.Salvage salvage = BufferDamage.quarantineAndSalvage(dir, BufferSchema::create, "test", 5);

        assertThat(salvage.recovered()).isEqualTo(3);
        assertThat(salvage.lost()).isZero();
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            buffer.append(List.of(H2BufferTest.reading(1)), List.of());
            assertThat(buffer.peek(10)).extracting(BufferedEvent::id).containsExactly("old-0", "old-1", "old-2", "r-1");
        }
        try (H2Files.ReadOnly file = H2Files.openReadOnly(file()); Statement s = file.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(body_crc), MIN(stored_time) FROM outbox")) {
            rs.next();
            assertThat(rs.getLong(1)).as("only the new row has a checksum").isEqualTo(1);
            assertThat(rs.getLong(2)).as("the old rows' stored time").isEqualTo(received);
        }
    }

    /**
     * Damage H2 cannot see at all: one event's stored JSON changed inside its page, same length, still JSON, which
     * H2 reads back as if it were data. The row's checksum finds it when the uplink reads it, and the buffer salvages
     * as for a page H2 cannot read: only that row is left out and counted, every other drains in order.
     */
    @Test
    void drain_rowChangedInsideItsPage_failsItsChecksumAndTheSalvageLeavesOnlyThatRowOut() throws Exception {
        int total = 3000;
        store(total);
        assertThat(FileDamage.replace(file(), "\"r-1500\"", "\"x-1500\"")).isPositive();

        List<String> drained = new java.util.ArrayList<>();
        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(log.warnings()).as("not found at open").isEmpty();
            drainUntilSalvaged(buffer, drained, 400);
            assertThat(buffer.lost()).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString().contains("the outbox row with seq 1501 reads back "
                    + "other than it was written", "outbox 1799/1800 (1 readable but failing their checksum)", "1 lost");
        }
        List<String> expected = new java.util.ArrayList<>(ids(0, total));
        expected.remove("r-1500");
        assertThat(drained).containsExactlyElementsOf(expected);
    }

    /**
     * Damage the structural check cannot see: noise over the outbox page that holds the oldest event (written in an
     * early chunk, far from the newest one), so the file opens but reading the totals (the head's stored time) fails
     * on the page. Open salvages once and opens the salvaged file rather than failing every start.
     */
    @Test
    void open_damagedPageFoundReadingTheTotals_salvagesOnceAndOpensTheSalvagedFile() throws Exception {
        store(TOTAL);
        assertThat(FileDamage.overwriteAt(file(), "\"r-0\"".getBytes(StandardCharsets.US_ASCII),
                512, 42)).isPositive();
        assertThat(H2FileCheck.problem(file())).as("the structural check passes").isEmpty();

        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(buffer.lost()).isPositive().isLessThan(TOTAL);
            assertThat(buffer.depth()).isEqualTo(TOTAL - buffer.lost());
            assertThat(log.warnings()).singleElement().asString().contains("reading the buffer at open failed on a damaged page",
                    buffer.depth() + " of " + TOTAL + " events recovered, " + buffer.lost() + " lost");
            List<BufferedEvent> rows = buffer.peek(TOTAL);
            assertThat(rows).hasSize((int) buffer.depth()).extracting(BufferedEvent::id).isSubsetOf(ids(0, TOTAL))
                    .doesNotContain("r-0").endsWith("r-" + (TOTAL - 1));
            buffer.append(List.of(H2BufferTest.reading(TOTAL)), List.of());
            assertThat(buffer.readAfter(rows.get(rows.size() - 1).seq(), 10)).extracting(BufferedEvent::id)
                    .containsExactly("r-" + TOTAL);
        }
        assertThat(FileDamage.quarantined(dir, "buffer.mv.db")).hasSize(1);
    }

    /**
     * 1 KB of noise over the start of every fifth outbox leaf page (where H2 checks a page's length and check value),
     * found with H2's own reader before the damage: many unreadable ranges, each skipped with a bounded search, and
     * exactly the rows of the damaged pages lost. Holes laid on a fixed grid of file offsets instead test where H2
     * happened to put its chunks: a hole over a chunk's header or footer makes H2 open the version before that chunk
     * (the test with a file cut in half covers that fallback and its exact count; docs/architecture.md).
     */
    @Test
    void quarantineAndSalvage_holesInManyPages_losesExactlyTheirRowsAndKeepsTheRestInOrder() throws Exception {
        store(TOTAL);
        List<H2Pages.Leaf> leaves = H2Pages.leavesOfLargestTable(file());
        java.util.Set<Long> lostKeys = new java.util.HashSet<>();
        int damaged = 0;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file().toFile(), "rw")) {
            java.util.Random noise = new java.util.Random(42);
            for (int i = 2; i < leaves.size() - 1; i += 5) {
                H2Pages.Leaf leaf = leaves.get(i);
                byte[] hole = new byte[Math.min(1024, leaf.length())];
                noise.nextBytes(hole);
                f.seek(leaf.position());
                f.write(hole);
                lostKeys.addAll(leaf.keys());
                damaged++;
            }
        }
        assertThat(damaged).isGreaterThan(3);

        H2Salvage.Salvage salvage = BufferDamage.quarantineAndSalvage(dir, BufferSchema::create, "holes", 3);

        assertThat(salvage.versionsCutOff()).isZero();
        assertThat(salvage.tables().get("OUTBOX").skippedRanges()).isEqualTo(damaged);
        assertThat(salvage.lost()).as("exactly the rows of the damaged pages").isEqualTo(lostKeys.size());
        // A fresh buffer's seq (the row key) starts at 1: r-i is row i + 1.
        List<String> kept = IntStream.range(0, TOTAL).filter(i -> !lostKeys.contains(i + 1L))
                .mapToObj(i -> "r-" + i).toList();
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(buffer.peek(TOTAL)).extracting(BufferedEvent::id).as("every row of an undamaged page, in order")
                    .containsExactlyElementsOf(kept);
            assertThat(buffer.lost()).isEqualTo(lostKeys.size());
        }
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(2));
    }

    @Test
    void quarantineAndSalvage_again_carriesTheLostCountOver() throws Exception {
        store(TOTAL);
        FileDamage.overwriteMiddle(file(), 4096, 42);
        long first = BufferDamage.quarantineAndSalvage(dir, BufferSchema::create, "first", 1).lost();
        long second = BufferDamage.quarantineAndSalvage(dir, BufferSchema::create, "second", 2).lost();

        assertThat(first).isPositive();
        assertThat(second).as("the fresh file is intact").isZero();
        try (H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(buffer.lost()).isEqualTo(first);
        }
    }

    @Test
    void open_healthyFile_isLeftAloneAndSaysNothing() throws Exception {
        store(2000);

        try (LogCapture log = new LogCapture(H2Salvage.class); H2Buffer buffer = H2Buffer.open(dir, CONFIG)) {
            assertThat(buffer.depth()).isEqualTo(2000);
            assertThat(buffer.lost()).isZero();
            assertThat(log.warnings()).isEmpty();
        }
        assertThat(FileDamage.quarantined(dir, "buffer.mv.db")).isEmpty();
    }
}
