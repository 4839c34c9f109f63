package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.admin.BufferView;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import io.edgeagent.testing.FileDamage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code buffer stats} and {@code buffer export} on a real buffer directory, offline and with the agent's lock held. */
@Timeout(30)
class BufferCommandTest {

    private static final long T0 = 1_795_335_330_000L;

    @TempDir
    Path dir;

    private Path config;
    private Path data;

    @BeforeEach
    void writeConfig() throws Exception {
        data = dir.resolve("data");
        Files.createDirectories(dir.resolve("rules"));
        config = dir.resolve("config.yaml");
        Files.writeString(config, "inputs:\n  - topic: sensors/+/+\nrules:\n  directory: rules\ndata:\n  directory: data\n");
    }

    private static List<Reading> readings(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Reading("r-" + i, "dev-" + i % 2, "temperature", 20 + i, "C",
                T0 + i, T0 + 100 + i, "sensors/dev-" + i % 2 + "/temperature")).toList();
    }

    private void store(int n) {
        try (H2Buffer buffer = H2Buffer.open(data, BufferConfig.defaults())) {
            buffer.append(readings(n), List.of());
        }
    }

    @Test
    void stats_json_reportsTheWaitingEvents() throws Exception {
        store(5);

        CliRun run = CliRun.of("buffer", "stats", "--json", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode stats = new ObjectMapper().readTree(run.out());
        assertThat(stats.path("events").asLong()).isEqualTo(5);
        assertThat(stats.path("oldest").asText()).isEqualTo(java.time.Instant.ofEpochMilli(T0 + 100).toString());
        assertThat(stats.path("dropped").asLong()).isZero();
        assertThat(stats.path("byKind").path("Reading").asLong()).isEqualTo(5);
        assertThat(stats.path("storedBytes").asLong()).isPositive();
        assertThat(stats.path("fileBytes").asLong()).isPositive();
        assertThat(stats.fieldNames()).toIterable().as("the fields of GET /api/buffer")
                .containsExactly(Arrays.stream(BufferView.class.getRecordComponents()).map(c -> c.getName())
                        .toArray(String[]::new));
    }

    @Test
    void stats_text_showsCountsAndKinds() {
        store(3);

        CliRun run = CliRun.of("buffer", "stats", "--config", config.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("3 waiting for upload").contains("Reading").contains("dropped   0");
    }

    @Test
    void export_writesEveryEventInUploadOrderAsReplayableLines() throws Exception {
        store(2500);
        Path out = dir.resolve("backlog.jsonl");

        CliRun run = CliRun.of("buffer", "export", "--out", out.toString(), "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Exported 2500 events");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2500);
        List<Event> events = lines.stream().map(l -> EventJson.fromJson(l, "none")).toList();
        assertThat(events).containsExactlyElementsOf(readings(2500));
    }

    @Test
    void stats_whileTheAgentHoldsTheDirectory_saysSoAndExits4() {
        store(1);
        try (H2Buffer running = H2Buffer.open(data, BufferConfig.defaults())) {
            CliRun run = CliRun.of("buffer", "stats", "--config", config.toString());

            assertThat(run.exitCode()).isEqualTo(ExitCodes.LOCKED);
            assertThat(run.err()).contains("the agent is running").contains("edge-agent status");
            assertThat(running.depth()).as("the running agent's buffer is left as it was").isEqualTo(1);
        }
    }

    @Test
    void stats_noBufferYet_saysSoWithoutCreatingOne() {
        CliRun run = CliRun.of("buffer", "stats", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("there is no buffer in");
        assertThat(data.resolve("buffer.mv.db")).doesNotExist();
    }

    /** A buffer stored in batches with checkpoints (as the pipeline does), then damaged while closed. */
    private Path damagedCopy(int n, int holeBytes) throws Exception {
        try (H2Buffer buffer = H2Buffer.open(data, BufferConfig.defaults())) {
            for (int from = 0; from < n; from += 1000) {
                buffer.append(readings(n).subList(from, Math.min(n, from + 1000)), List.of());
                buffer.checkpoint();
            }
        }
        Path copy = dir.resolve("buffer.mv.db.corrupt-1");
        Files.copy(data.resolve("buffer.mv.db"), copy);
        if (holeBytes > 0) {
            FileDamage.overwriteMiddle(copy, holeBytes, 42);
        }
        return copy;
    }

    @Test
    void exportFrom_intactFile_writesEveryEventAndExits0WithoutTouchingIt() throws Exception {
        Path file = damagedCopy(3000, 0);
        byte[] before = Files.readAllBytes(file);
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("buffer", "export", "--from", file.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Exported 3000 of 3000 events from " + file);
        assertThat(Files.readAllLines(out).stream().map(l -> EventJson.fromJson(l, "none")).toList())
                .containsExactlyElementsOf(readings(3000));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void exportFrom_fileWithADamagedPage_writesEveryReadableEventInOrderAndExits5() throws Exception {
        int n = 20_000;
        Path file = damagedCopy(n, 4096);
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("buffer", "export", "--from", file.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.PARTIAL);
        List<Event> events = Files.readAllLines(out).stream().map(l -> EventJson.fromJson(l, "none")).toList();
        assertThat(events).hasSizeBetween(n - 200, n - 1).isSubsetOf(readings(n))
                .as("rows past the damaged page are exported too").endsWith(readings(n).get(n - 1));
        assertThat(run.out()).contains("Exported " + events.size() + " of " + n + " events",
                "(" + (n - events.size()) + " events)");
    }

    @Test
    void exportFrom_rowChangedInsideItsPage_leavesItOutSaysSoAndExits5() throws Exception {
        Path file = damagedCopy(3000, 0);
        assertThat(FileDamage.replace(file, "\"r-700\"", "\"x-700\"")).isPositive();
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("buffer", "export", "--from", file.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.PARTIAL);
        List<Reading> expected = new java.util.ArrayList<>(readings(3000));
        expected.remove(700);
        assertThat(Files.readAllLines(out).stream().map(l -> EventJson.fromJson(l, "none")).toList())
                .containsExactlyElementsOf(expected);
        assertThat(run.out()).contains("Exported 2999 of 3000 events", "left out 1 events that read back other than "
                + "they were written");
    }

    @Test
    void export_bufferWithARowChangedInsideItsPage_exits1NamingTheFileAndWhatToDo() throws Exception {
        damagedCopy(3000, 0);
        assertThat(FileDamage.replace(data.resolve("buffer.mv.db"), "\"r-700\"", "\"x-700\"")).isPositive();

        CliRun run = CliRun.of("buffer", "export", "--config", config.toString(), "--out",
                dir.resolve("out.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains(data.resolve("buffer.mv.db") + " is damaged",
                "the outbox row with seq 701 reads back other than it was written",
                "edge-agent buffer export --from " + data.resolve("buffer.mv.db"));
    }

    @Test
    void exportFrom_notABufferFile_exits1SayingWhy() throws Exception {
        Path file = dir.resolve("empty.mv.db.corrupt-1");
        Files.write(file, new byte[0]);

        CliRun run = CliRun.of("buffer", "export", "--from", file.toString(), "--out", dir.resolve("o").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("cannot read " + file + " as a buffer");
        assertThat(CliRun.of("buffer", "export", "--from", dir.resolve("missing").toString(), "--out", "o").err())
                .contains("is not a file");
    }
}
