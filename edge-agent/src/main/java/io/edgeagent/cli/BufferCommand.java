package io.edgeagent.cli;

import io.edgeagent.admin.BufferView;
import io.edgeagent.agent.AgentAdmin;
import io.edgeagent.buffer.BufferDamage;
import io.edgeagent.buffer.BufferException;
import io.edgeagent.buffer.BufferStats;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.storage.H2Files;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.H2TableReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edge-agent buffer stats|export}: read the buffer in the data directory while the agent is stopped. The
 * running agent holds the directory's lock; then these commands say so and point to {@code status} and the admin API.
 */
@Command(name = "buffer", description = "Inspect the store-and-forward buffer of a stopped agent.",
        subcommands = {BufferCommand.Stats.class, BufferCommand.Export.class})
final class BufferCommand {

    /** Rows read per query while exporting, so a large outbox is streamed rather than loaded. */
    private static final int EXPORT_PAGE = 1000;

    /** Opens the configured buffer, or prints why not and returns the exit code. */
    abstract static class Offline extends PrintingCommand implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            AgentConfig loaded = config.loadOrReport(err());
            if (loaded == null) {
                return ExitCodes.CONFIG;
            }
            Path directory = loaded.data().directory();
            if (!Files.exists(directory.resolve("buffer.mv.db"))) {
                err().println("edge-agent: there is no buffer in " + directory + " (data.directory of " + config.file
                        + "); the agent creates it at its first start.");
                return ExitCodes.FAILURE;
            }
            try (H2Buffer buffer = H2Buffer.open(directory, loaded.buffer())) {
                return run(buffer);
            } catch (BufferException e) {
                if (e.getMessage().contains("in use")) {
                    err().println("edge-agent: the agent is running and holds " + directory + " (" + e.getMessage()
                            + "). Use 'edge-agent status' or the admin API (GET /api/buffer) while it runs.");
                    return ExitCodes.LOCKED;
                }
                if (e.getCause() instanceof SQLException cause && H2Salvage.isDamage(cause)) {
                    Path file = directory.resolve("buffer.mv.db");
                    err().println("edge-agent: " + file + " is damaged (" + e.getMessage() + "). The agent moves it "
                            + "aside and keeps every event it can read when it next starts (docs/operations.md, "
                            + "\"Damaged buffer files\"). To copy what is readable now: edge-agent buffer export --from "
                            + file + " --out FILE");
                    return ExitCodes.FAILURE;
                }
                err().println("edge-agent: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }

        abstract int run(H2Buffer buffer);
    }

    @Command(name = "stats", description = {"Events waiting for upload: rows, bytes, oldest, dropped, by type.",
            "Exit codes: 0 printed, 1 no buffer or unreadable, 3 invalid configuration, 4 the agent is running."})
    static final class Stats extends Offline {

        @Option(names = "--json", description = "Print the statistics as JSON.")
        boolean json;

        @Override
        int run(H2Buffer buffer) {
            BufferStats s = buffer.stats();
            BufferView view = AgentAdmin.view(s, buffer.lost());
            if (json) {
                out().println(JsonOutput.pretty(view));
                return ExitCodes.OK;
            }
            String oldest = view.oldest();
            out().printf("events    %d waiting for upload (%.1f KB of JSON; file %.1f MB)%n", s.rows(),
                    s.storedBytes() / 1024.0, s.bytes() / 1048576.0);
            out().printf("oldest    %s%n", oldest == null ? "-" : oldest);
            out().printf("dropped   %d (drop-oldest policy, all time)%n", s.dropped());
            out().printf("dead      %d dead letters%n", s.deadLetters());
            s.rowsByKind().forEach((kind, rows) -> out().printf("  %-10s %d%n", kind, rows));
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", description = {"Write every event waiting for upload to a file, one JSON object per line "
            + "in upload order (the format 'rules test --events' reads). The buffer is not changed.",
            "With --from, read a buffer file directly instead (a quarantined buffer.mv.db.corrupt-<millis>, or a "
            + "copy): opened read-only, past pages that cannot be read.",
            "Exit codes: 0 written, 1 no buffer, an unreadable file or an I/O error, 3 invalid configuration, "
            + "4 the agent is running, 5 written but part of the --from file could not be read."})
    static final class Export extends Offline {

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .jsonl file to write.")
        Path outFile;

        @Option(names = "--from", paramLabel = "FILE", description = "A buffer file to read instead of the "
                + "configured buffer, such as a quarantined buffer.mv.db.corrupt-<millis>. Never modified.")
        Path fromFile;

        @Override
        public Integer call() {
            return fromFile == null ? super.call() : exportFrom();
        }

        @Override
        int run(H2Buffer buffer) {
            long written = 0;
            try (BufferedWriter w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
                long after = 0;
                for (List<BufferedEvent> page = buffer.readAfter(after, EXPORT_PAGE); !page.isEmpty();
                     page = buffer.readAfter(after, EXPORT_PAGE)) {
                    for (BufferedEvent row : page) {
                        writeLine(w, row.body());
                    }
                    written += page.size();
                    after = page.get(page.size() - 1).seq();
                }
            } catch (IOException e) {
                err().println("edge-agent: cannot write " + outFile + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            out().println("Exported " + written + " events to " + outFile + ".");
            return ExitCodes.OK;
        }

        private int exportFrom() {
            if (!Files.isRegularFile(fromFile)) {
                err().println("edge-agent: " + fromFile + " is not a file.");
                return ExitCodes.FAILURE;
            }
            H2TableReader.Result result;
            try (H2Files.ReadOnly file = H2Files.openReadOnly(fromFile);
                 BufferedWriter w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
                List<String> columns = BufferDamage.exportColumns(file.connection());
                result = H2TableReader.read(file.connection(), "outbox", columns, BufferDamage.outboxCheck(columns),
                        values -> writeLine(w, values[0] instanceof byte[] bytes
                                ? new String(bytes, StandardCharsets.UTF_8) : (String) values[0]));
            } catch (SQLException e) {
                err().println("edge-agent: cannot read " + fromFile + " as a buffer: " + e.getMessage());
                return ExitCodes.FAILURE;
            } catch (IOException e) {
                err().println("edge-agent: cannot export " + fromFile + " to " + outFile + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            String of = result.expected() < 0 ? "an unknown number (the file's count is unreadable)"
                    : Long.toString(result.expected());
            StringBuilder line = new StringBuilder("Exported " + result.read() + " of " + of + " events from " + fromFile
                    + " to " + outFile);
            if (result.skippedRanges() > 0) {
                line.append("; skipped ").append(result.skippedRanges()).append(" unreadable ranges");
                if (result.expected() >= 0) {
                    line.append(" (").append(Math.max(0, result.unreadable() - result.failedCheck())).append(" events)");
                }
            }
            if (result.failedCheck() > 0) {
                line.append("; left out ").append(result.failedCheck())
                        .append(" events that read back other than they were written (their checksum does not match)");
            }
            out().println(line.append('.'));
            return result.expected() == result.read() && result.skippedRanges() == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        private static void writeLine(BufferedWriter w, String body) throws IOException {
            w.write(body);
            w.newLine();
        }
    }
}
