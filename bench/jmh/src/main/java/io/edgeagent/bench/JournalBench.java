package io.edgeagent.bench;

import io.edgeagent.event.InboundMessage;
import io.edgeagent.pipeline.InflightJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the redelivery-loop journal adds to the pipeline per batch: a fingerprint of every message and two positional
 * writes. One operation is one batch of {@code batchSize} simulator-shaped messages, marked and then marked done.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
public class JournalBench {

    @Param({"1", "100"})
    public int batchSize;

    private Path dir;
    private InflightJournal journal;
    private List<InboundMessage> batch;

    @Setup
    public void setup() throws IOException {
        dir = Files.createTempDirectory("journal-bench");
        journal = InflightJournal.open(dir.resolve("pipeline.journal"), 1000);
        batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            String device = String.format("sensor-%05d", i + 1);
            batch.add(new InboundMessage("sensors/" + device + "/temperature", ("{\"deviceId\":\"" + device
                    + "\",\"type\":\"temperature\",\"value\":4.2,\"unit\":\"C\",\"ts\":\"2026-11-22T01:20:11.722Z\"}")
                    .getBytes(StandardCharsets.UTF_8), 0, () -> { }));
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        journal.close();
        Files.delete(dir.resolve("pipeline.journal"));
        Files.delete(dir);
    }

    @Benchmark
    public void markBatch() {
        journal.begin(batch);
        journal.end();
    }
}
