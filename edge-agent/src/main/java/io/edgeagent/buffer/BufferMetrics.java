package io.edgeagent.buffer;

import io.edgeagent.metrics.Ages;
import io.edgeagent.metrics.MetricRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the buffer counts, registered beside its counters; hidden until the buffer is open. Every figure is one the
 * buffer keeps in memory, never {@link H2Buffer#stats}: that scans the outbox under the buffer's lock, so a scrape
 * every second would stall the pipeline in proportion to the backlog.
 */
public final class BufferMetrics {

    private BufferMetrics() {
    }

    /** @param buffer the buffer now, null before it is opened */
    public static void register(MetricRegistry m, Supplier<H2Buffer> buffer) {
        BooleanSupplier present = () -> buffer.get() != null;
        m.gauge("edge_buffer_events", "Events waiting for upload.", () -> buffer.get().depth()).onlyWhen(present);
        m.gauge("edge_buffer_bytes", "Size of the buffer database file.", () -> buffer.get().fileBytes())
                .onlyWhen(present);
        m.gauge("edge_buffer_oldest_age_seconds", "Age of the oldest event waiting for upload.",
                () -> Ages.secondsSince(buffer.get().oldestStoredTime())).onlyWhen(present);
        m.counter("edge_buffer_dropped_total", "Events dropped by the drop-oldest policy.",
                () -> buffer.get().dropped()).onlyWhen(present);
        m.counter("edge_buffer_lost_total", "Events lost to a damaged buffer file.", () -> buffer.get().lost())
                .onlyWhen(present);
        m.counter("edge_dead_letters_total", "Rows in the dead-letter table.", () -> buffer.get().deadLetters())
                .onlyWhen(present);
        m.counter("edge_buffer_refused_total", "Appends refused by the backpressure policy (retried).",
                () -> buffer.get().refused()).onlyWhen(present);
        m.gauge("edge_buffer_storage_healthy", "1 when the buffer takes writes (0: low disk space or reopening after a "
                + "storage fault).", () -> buffer.get().health().healthy() ? 1 : 0).onlyWhen(present);
        m.counter("edge_buffer_refused_for_space_total", "Appends refused below buffer.minFreeSpace (retried).",
                () -> buffer.get().refusedForSpace()).onlyWhen(present);
        m.counter("edge_buffer_storage_faults_total", "Storage faults that closed and reopened the buffer.",
                () -> buffer.get().storageFaults()).onlyWhen(present);
    }
}
