package io.edgeagent.bench;

import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The buffer's group commit as the pipeline uses it: append a batch of events in one transaction, then CHECKPOINT
 * (the durability point before acknowledging). Scores are batches per second: events per second = score x batch.
 * A fresh database per iteration, so the file does not grow across iterations; maxBytes is set high enough that the
 * drop-oldest bound never triggers here (that path is measured by the end-to-end run only when the outbox is full).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC"})
public class BufferBench {

    @Param({"1", "100", "1000"})
    public int batch;

    private Path dir;
    private H2Buffer buffer;
    private List<List<Event>> batches;
    private int next;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory("bench-buffer");
        buffer = H2Buffer.open(dir, new BufferConfig(ByteSize.ofMegabytes(64 * 1024), null, null, null, null, null, null));
        batches = new ArrayList<>();
        long ts = 1_795_310_411_722L;
        for (int b = 0; b < 16; b++) {
            List<Event> events = new ArrayList<>(batch);
            for (int e = 0; e < batch; e++) {
                String device = String.format("sensor-%05d", e % 100 + 1);
                events.add(new Reading(UUID.randomUUID().toString(), device, "temperature", 2 + e % 30 / 10.0, "C",
                        ts + e, ts + e, "sensors/" + device + "/temperature"));
            }
            batches.add(events);
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        buffer.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One transaction of {@code batch} events, committed (visible, not yet durable). */
    @Benchmark
    public void append() {
        buffer.append(nextBatch(), List.<DeadLetter>of());
    }

    /** One transaction of {@code batch} events followed by the checkpoint that makes it durable. */
    @Benchmark
    public void appendAndCheckpoint() {
        buffer.append(nextBatch(), List.<DeadLetter>of());
        buffer.checkpoint();
    }

    private List<Event> nextBatch() {
        next = (next + 1) & 15;
        return batches.get(next);
    }
}
